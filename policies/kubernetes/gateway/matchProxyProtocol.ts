import {
  backendsOf,
  gatewayTypes,
  type K8sObject,
  objectsOf,
  proxyProtocolAnnotation,
  targets,
} from "../../common/gatewayObjects";
import type { WarblerStackPolicy } from "../../policy";

/** The PROXY version Envoy sends on a route's backend connections, from the BackendTrafficPolicies on it. */
function sentVersion(route: K8sObject, policies: K8sObject[]): string | undefined {
  const version = policies.find((p) => targets(p, "HTTPRoute", route))?.props.spec?.proxyProtocol?.version;
  return version === undefined ? undefined : String(version).toLowerCase();
}

export const k8sGatewayProxyProtocol: WarblerStackPolicy = {
  id: "kubernetes-gateway-proxy-protocol",
  name: "The Gateway sends a PROXY header exactly to the backends that expect one",
  target: "kubernetes",
  what:
    `A backend Service annotated '${proxyProtocolAnnotation}' (the PROXY protocol version its port requires) must ` +
    "be reached only through HTTPRoutes whose BackendTrafficPolicy sends that version, and a BackendTrafficPolicy " +
    "that sends a PROXY header must target only routes whose backends declare that version.",
  why:
    "The header carries the client's address, which the backend's admin allow-list checks. A backend that expects " +
    "it but does not get it refuses every connection; one that gets it unannounced reads it as request bytes; and a " +
    "backend that takes the header without it being required could be handed a forged one.",
  fix:
    "Put a BackendTrafficPolicy with 'proxyProtocol.version' on every route to the annotated Service, and annotate " +
    "each backend of such a route with the version it parses (the Warbler IM chart pairs ejabberd's " +
    "use_proxy_protocol listener, its 'ejabberd-gateway' Service and the policy).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.20", "ISO27001-A.8.15", "SOC2-CC6.6", "PCI-10.2.1", "GDPR-32", "MLPS-8.1.3.1"],
  resourceTypes: [gatewayTypes.backendTrafficPolicy, gatewayTypes.httpRoute, gatewayTypes.service],
  validateStack: (args, report) => {
    const routes = objectsOf(args.resources, gatewayTypes.httpRoute);
    const policies = objectsOf(args.resources, gatewayTypes.backendTrafficPolicy).filter(
      (p) => p.props.spec?.proxyProtocol !== undefined,
    );
    const services = objectsOf(args.resources, gatewayTypes.service);
    const declared = new Map<string, string>();
    for (const s of services) {
      const version = s.props.metadata?.annotations?.[proxyProtocolAnnotation];
      if (version === undefined) continue;
      for (const port of s.props.spec?.ports ?? [])
        declared.set(`${s.namespace}/${s.name}:${port.port}`, String(version));
    }
    if (policies.length === 0 && declared.size === 0) return args.notApplicable("no PROXY protocol on any backend");
    for (const route of routes) {
      const sent = sentVersion(route, policies);
      for (const backend of backendsOf(route)) {
        const expected = declared.get(backend);
        if (expected === sent) continue;
        if (expected === undefined)
          report(
            `HTTPRoute '${route.name}' sends a PROXY ${sent} header to ${backend}, which declares none`,
            route.resource.urn,
          );
        else
          report(
            `HTTPRoute '${route.name}' sends ${sent ? `PROXY ${sent}` : "no PROXY header"} to ${backend}, which ` +
              `expects ${expected}`,
            route.resource.urn,
          );
      }
    }
  },
};
