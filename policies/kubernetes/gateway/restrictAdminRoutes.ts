import { backendsOf, gatewayTypes, type K8sObject, objectsOf, type Props, targets } from "../../common/gatewayObjects";
import type { WarblerStackPolicy } from "../../policy";
import { isAnywhere } from "../../props";

/** Paths that reach an administration interface: ejabberd's API and web admin, and Grafana. */
const adminPaths = ["/api", "/admin", "/grafana"];

interface PathMatch {
  type?: string;
  value?: string;
}

/** Whether a rule's path match names an admin path (exactly, by prefix, or by a pattern that mentions one). */
function namesAdminPath(path: PathMatch | undefined): boolean {
  const value = path?.value ?? "/";
  if (path?.type === "RegularExpression") return adminPaths.some((p) => value.includes(p.slice(1)));
  return adminPaths.some((p) => value === p || value.startsWith(`${p}/`));
}

/** Whether a rule's path match takes every path, the admin paths among them. */
function catchesAll(path: PathMatch | undefined): boolean {
  return path === undefined || ((path.type ?? "PathPrefix") === "PathPrefix" && (path.value ?? "/") === "/");
}

function pathsOf(route: K8sObject): (PathMatch | undefined)[] {
  return (route.props.spec?.rules ?? []).flatMap((rule: { matches?: { path?: PathMatch }[] }) =>
    (rule.matches ?? [{}]).map((m) => m.path),
  );
}

/** Why a SecurityPolicy fails to restrict by client address, or undefined when it restricts. */
function weakness(policy: K8sObject): string | undefined {
  const auth = policy.props.spec?.authorization;
  if (!auth) return "has no authorization";
  // Envoy Gateway's default is Deny when defaultAction is unset (api/v1alpha1/authorization_types.go).
  if ((auth.defaultAction ?? "Deny") !== "Deny")
    return `lets unmatched clients through (defaultAction ${auth.defaultAction})`;
  const allows: Props[] = (auth.rules ?? []).filter((r: Props) => r.action === "Allow");
  if (allows.length === 0) return "allows no client network";
  for (const rule of allows) {
    const cidrs: string[] = rule.principal?.clientCIDRs ?? [];
    if (cidrs.length === 0) return `has an Allow rule '${rule.name ?? "?"}' without clientCIDRs`;
    const open = cidrs.filter(isAnywhere);
    if (open.length > 0) return `allows ${open.join(", ")}`;
  }
  return undefined;
}

export const k8sGatewayAdminAllowList: WarblerStackPolicy = {
  id: "kubernetes-gateway-admin-allow-list",
  name: "Admin paths on the Gateway are open only to allow-listed client networks",
  target: "kubernetes",
  what:
    "Every HTTPRoute that reaches /api, /admin or /grafana (by naming the path, or by a catch-all to a backend " +
    "that serves one) must be the target of an Envoy Gateway SecurityPolicy that denies by default and allows " +
    "only named client CIDRs, none of them the whole internet.",
  why:
    "These paths administer the IM service and its monitoring. Published without a client-address restriction, " +
    "they are one stolen or guessed password away from the internet.",
  fix:
    "Target the route (or its Gateway) with a SecurityPolicy whose authorization has defaultAction Deny and one " +
    "Allow rule with principal.clientCIDRs set to the admin networks (`warbler:im.adminCidrs`), as the Warbler " +
    "IM chart does; or do not publish the paths at all (`warbler:im.adminApi` false).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.20", "ISO27001-A.8.22", "SOC2-CC6.6", "PCI-1.3.1", "PCI-1.4.1", "GDPR-32", "MLPS-8.1.3.1"],
  resourceTypes: [gatewayTypes.httpRoute, gatewayTypes.securityPolicy],
  validateStack: (args, report) => {
    const routes = objectsOf(args.resources, gatewayTypes.httpRoute);
    const gateways = objectsOf(args.resources, gatewayTypes.gateway);
    const policies = objectsOf(args.resources, gatewayTypes.securityPolicy);
    const explicit = routes.filter((r) => pathsOf(r).some(namesAdminPath));
    const adminBackends = new Set(explicit.flatMap(backendsOf));
    const reaching = routes.filter(
      (r) => explicit.includes(r) || (pathsOf(r).some(catchesAll) && backendsOf(r).some((b) => adminBackends.has(b))),
    );
    if (reaching.length === 0) return args.notApplicable("no route reaches an admin path");
    for (const route of reaching) {
      const parents = gateways.filter((g) =>
        (route.props.spec?.parentRefs ?? []).some(
          (p: { name: string; namespace?: string }) =>
            p.name === g.name && (p.namespace ?? route.namespace) === g.namespace,
        ),
      );
      // A policy on the route overrides one on its Gateway, so the route's own policies are the ones that apply.
      const onRoute = policies.filter((p) => targets(p, "HTTPRoute", route));
      const effective =
        onRoute.length > 0 ? onRoute : policies.filter((p) => parents.some((g) => targets(p, "Gateway", g)));
      if (effective.length === 0) {
        report(
          `HTTPRoute '${route.namespace}/${route.name}' reaches an admin path with no SecurityPolicy`,
          route.resource.urn,
        );
        continue;
      }
      for (const policy of effective) {
        const why = weakness(policy);
        if (why) report(`SecurityPolicy '${policy.name}' on HTTPRoute '${route.name}' ${why}`, policy.resource.urn);
      }
    }
  },
};
