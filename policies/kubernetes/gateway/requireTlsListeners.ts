import { gatewayTypes, objectsOf, type Props, parentsOf } from "../../common/gatewayObjects";
import type { WarblerStackPolicy } from "../../policy";

const weakVersions = ["Auto", "1.0", "1.1"];

/** A route whose every rule only redirects to https and sends nothing to a backend. */
function onlyRedirectsToHttps(route: { props: Props }): boolean {
  const rules: Props[] = route.props.spec?.rules ?? [];
  return (
    rules.length > 0 &&
    rules.every(
      (rule) =>
        (rule.backendRefs ?? []).length === 0 &&
        (rule.filters ?? []).some((f: Props) => f.type === "RequestRedirect" && f.requestRedirect?.scheme === "https"),
    )
  );
}

export const k8sGatewayTls: WarblerStackPolicy = {
  id: "kubernetes-gateway-tls",
  name: "Every client-facing Gateway listener uses TLS 1.2+",
  target: "kubernetes",
  what:
    "Each Gateway listener must be HTTPS or TLS, with a certificate when it terminates TLS. A plain HTTP listener " +
    "is allowed only when every route attached to it just redirects to https, and a ClientTrafficPolicy must not " +
    "allow TLS versions older than 1.2.",
  why:
    "The Gateway carries users' logins, messages and file uploads from the internet. A listener that serves " +
    "content over plain HTTP, or accepts TLS 1.0/1.1, exposes them to interception.",
  fix:
    "Give the listener protocol HTTPS with 'tls.certificateRefs' to the cert-manager certificate; keep port 80 " +
    "for an HTTPRoute whose rules only carry a RequestRedirect filter with scheme https; set the " +
    "ClientTrafficPolicy's 'tls.minVersion' to 1.2 or 1.3 (the Warbler IM chart does all three).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "ISO27001-A.8.21", "SOC2-CC6.7", "PCI-4.2.1", "PCI-2.2.5", "GDPR-32", "MLPS-8.1.2.2"],
  resourceTypes: [gatewayTypes.gateway, gatewayTypes.httpRoute, gatewayTypes.clientTrafficPolicy],
  validateStack: (args, report) => {
    const gateways = objectsOf(args.resources, gatewayTypes.gateway);
    const clients = objectsOf(args.resources, gatewayTypes.clientTrafficPolicy);
    if (gateways.length === 0 && clients.length === 0) return args.notApplicable("no Gateway in the stack");
    const routes = objectsOf(args.resources, gatewayTypes.httpRoute);
    for (const gateway of gateways) {
      for (const listener of gateway.props.spec?.listeners ?? []) {
        const where = `Gateway '${gateway.namespace}/${gateway.name}' listener '${listener.name}'`;
        if (listener.protocol === "HTTPS" || (listener.protocol === "TLS" && listener.tls?.mode === "Terminate")) {
          if ((listener.tls?.certificateRefs ?? []).length === 0)
            report(`${where} terminates TLS without a certificate`, gateway.resource.urn);
          continue;
        }
        if (listener.protocol === "TLS") continue;
        if (listener.protocol !== "HTTP") {
          report(`${where} is plain ${listener.protocol}`, gateway.resource.urn);
          continue;
        }
        const keys = [
          `${gateway.namespace}/${gateway.name}/${listener.name}`,
          `${gateway.namespace}/${gateway.name}/*`,
        ];
        const attached = routes.filter((r) => parentsOf(r).some((p) => keys.includes(p)));
        const serving = attached.filter((r) => !onlyRedirectsToHttps(r));
        if (serving.length > 0)
          report(
            `${where} is plain HTTP and route(s) ${serving.map((r) => r.name).join(", ")} serve content on it`,
            gateway.resource.urn,
          );
      }
    }
    for (const policy of clients) {
      const version = policy.props.spec?.tls?.minVersion;
      if (version !== undefined && weakVersions.includes(String(version)))
        report(`ClientTrafficPolicy '${policy.name}' allows TLS minVersion ${version}`, policy.resource.urn);
    }
  },
};
