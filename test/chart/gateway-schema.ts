/**
 * Structural checks of the Gateway API and Envoy Gateway objects the chart and the layer emit, from the CRD schemas
 * of the pinned releases (kubernetes-models ships neither, so these are written out). Each rule names its source:
 * - Gateway API v1.6 (required by Envoy Gateway v1.9, release-notes/v1.9.0.yaml): Gateway listeners need name, port
 *   (1-65535) and protocol, HTTPS listeners `tls.certificateRefs`; HTTPRoute path match types Exact, PathPrefix,
 *   RegularExpression with values starting "/"; RequestRedirect status codes 301, 302, 303, 307, 308; a Service
 *   backendRef needs a port; ReferenceGrant (v1 since v1.5, gateway-api#4458) needs `from` and `to`.
 * - Envoy Gateway api/v1alpha1: ClientTrafficPolicy targets Gateways or ListenerSets of group
 *   gateway.networking.k8s.io (clienttrafficpolicy_types.go CEL rules); `proxyProtocol.optional` is a bool
 *   (ProxyProtocolSettings); TLS `minVersion` is one of Auto, 1.0, 1.1, 1.2, 1.3; BackendTrafficPolicy
 *   `proxyProtocol.version` V1 or V2 (proxyprotocol_types.go); SecurityPolicy authorization `defaultAction` and rule
 *   `action` Allow or Deny, and a principal needs clientCIDRs, jwt or headers (authorization_types.go); EnvoyProxy's
 *   envoyService takes annotations, type, externalTrafficPolicy (Local or Cluster) and name (shared_types.go).
 * Unknown fields are refused, so a misspelled field fails here as it would at the API server.
 */

type Obj = Record<string, any>;

const duration = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const cidr = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-f:]+\/\d{1,3}$/i;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function only(where: string, value: Obj | undefined, allowed: string[], problems: string[]): void {
  for (const key of Object.keys(value ?? {}))
    if (!allowed.includes(key)) problems.push(`${where}.${key} is not a field of the schema`);
}

function targetRefs(where: string, refs: Obj[] | undefined, kinds: string[], problems: string[]): void {
  if (!refs?.length) problems.push(`${where}.targetRefs must name at least one object`);
  for (const [i, ref] of (refs ?? []).entries()) {
    only(`${where}.targetRefs[${i}]`, ref, ["group", "kind", "name", "sectionName"], problems);
    if (ref.group !== "gateway.networking.k8s.io") problems.push(`${where}.targetRefs[${i}].group is ${ref.group}`);
    if (!kinds.includes(ref.kind)) problems.push(`${where}.targetRefs[${i}].kind ${ref.kind} not in ${kinds}`);
  }
}

const checks: Record<string, (spec: Obj, problems: string[]) => void> = {
  "gateway.networking.k8s.io/v1/Gateway": (spec, problems) => {
    only("spec", spec, ["gatewayClassName", "listeners", "infrastructure"], problems);
    if (typeof spec.gatewayClassName !== "string") problems.push("spec.gatewayClassName is required");
    for (const [i, l] of (spec.listeners ?? []).entries()) {
      only(`listeners[${i}]`, l, ["name", "protocol", "port", "hostname", "tls", "allowedRoutes"], problems);
      if (!dnsLabel.test(l.name ?? "")) problems.push(`listeners[${i}].name must be a DNS label`);
      if (!(l.port >= 1 && l.port <= 65535)) problems.push(`listeners[${i}].port out of range`);
      if (l.protocol === "HTTPS" && !l.tls?.certificateRefs?.length)
        problems.push(`listeners[${i}] is HTTPS without tls.certificateRefs`);
    }
  },
  "gateway.networking.k8s.io/v1/HTTPRoute": (spec, problems) => {
    only("spec", spec, ["parentRefs", "hostnames", "rules"], problems);
    for (const [i, rule] of (spec.rules ?? []).entries()) {
      only(`rules[${i}]`, rule, ["name", "matches", "filters", "backendRefs", "timeouts"], problems);
      for (const m of rule.matches ?? []) {
        if (!["Exact", "PathPrefix", "RegularExpression"].includes(m.path?.type))
          problems.push(`rules[${i}] path type ${m.path?.type}`);
        if (!String(m.path?.value).startsWith("/")) problems.push(`rules[${i}] path ${m.path?.value} lacks '/'`);
      }
      for (const f of rule.filters ?? []) {
        if (!["RequestRedirect", "ResponseHeaderModifier", "RequestHeaderModifier", "URLRewrite"].includes(f.type))
          problems.push(`rules[${i}] filter type ${f.type}`);
        if (f.type === "RequestRedirect" && ![301, 302, 303, 307, 308].includes(f.requestRedirect?.statusCode))
          problems.push(`rules[${i}] redirect status ${f.requestRedirect?.statusCode}`);
      }
      for (const b of rule.backendRefs ?? []) {
        only(`rules[${i}].backendRefs`, b, ["name", "namespace", "port", "group", "kind", "weight"], problems);
        if (!Number.isInteger(b.port)) problems.push(`rules[${i}] backendRef ${b.name} has no port`);
      }
    }
  },
  "gateway.networking.k8s.io/v1/ReferenceGrant": (spec, problems) => {
    only("spec", spec, ["from", "to"], problems);
    if (!spec.from?.length || !spec.to?.length) problems.push("spec.from and spec.to are required");
  },
  "gateway.envoyproxy.io/v1alpha1/ClientTrafficPolicy": (spec, problems) => {
    only("spec", spec, ["targetRefs", "proxyProtocol", "tls", "timeout", "clientIPDetection"], problems);
    targetRefs("spec", spec.targetRefs, ["Gateway", "ListenerSet"], problems);
    if (spec.proxyProtocol) {
      only("spec.proxyProtocol", spec.proxyProtocol, ["optional"], problems);
      if (typeof spec.proxyProtocol.optional !== "boolean") problems.push("proxyProtocol.optional must be a bool");
    }
    if (spec.tls && !["Auto", "1.0", "1.1", "1.2", "1.3"].includes(spec.tls.minVersion))
      problems.push(`tls.minVersion ${spec.tls.minVersion}`);
    const idle = spec.timeout?.http?.idleTimeout;
    if (idle !== undefined && !duration.test(idle)) problems.push(`timeout.http.idleTimeout ${idle}`);
  },
  "gateway.envoyproxy.io/v1alpha1/BackendTrafficPolicy": (spec, problems) => {
    only("spec", spec, ["targetRefs", "proxyProtocol"], problems);
    targetRefs("spec", spec.targetRefs, ["Gateway", "HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute"], problems);
    if (!["V1", "V2"].includes(spec.proxyProtocol?.version)) problems.push("proxyProtocol.version V1 or V2");
  },
  "gateway.envoyproxy.io/v1alpha1/SecurityPolicy": (spec, problems) => {
    only("spec", spec, ["targetRefs", "authorization"], problems);
    targetRefs("spec", spec.targetRefs, ["Gateway", "HTTPRoute", "GRPCRoute", "TCPRoute"], problems);
    const auth = spec.authorization ?? {};
    if (!["Allow", "Deny"].includes(auth.defaultAction)) problems.push(`defaultAction ${auth.defaultAction}`);
    for (const [i, rule] of (auth.rules ?? []).entries()) {
      only(`rules[${i}]`, rule, ["name", "action", "operation", "principal"], problems);
      if (!["Allow", "Deny"].includes(rule.action)) problems.push(`rules[${i}].action ${rule.action}`);
      const p = rule.principal ?? {};
      if (!p.clientCIDRs && !p.jwt && !p.headers) problems.push(`rules[${i}].principal is empty`);
      for (const c of p.clientCIDRs ?? []) if (!cidr.test(c)) problems.push(`rules[${i}] CIDR ${c}`);
    }
  },
  "gateway.envoyproxy.io/v1alpha1/EnvoyProxy": (spec, problems) => {
    only("spec", spec, ["provider", "shutdown"], problems);
    const service = spec.provider?.kubernetes?.envoyService ?? {};
    only("envoyService", service, ["annotations", "type", "externalTrafficPolicy", "name"], problems);
    if (!["Local", "Cluster"].includes(service.externalTrafficPolicy))
      problems.push(`envoyService.externalTrafficPolicy ${service.externalTrafficPolicy}`);
    for (const key of ["drainTimeout", "minDrainDuration"])
      if (!duration.test(spec.shutdown?.[key] ?? "")) problems.push(`shutdown.${key} is not a duration`);
  },
};

/** The kinds this module checks, as `<apiVersion>/<kind>`. */
export const gatewayKinds = Object.keys(checks);

/** Problems of one object against the schema facts above; empty when it conforms. */
export function gatewaySchemaProblems(object: Obj): string[] {
  const check = checks[`${object.apiVersion}/${object.kind}`];
  if (!check) return [`no schema facts for ${object.apiVersion} ${object.kind}`];
  const problems: string[] = [];
  check(object.spec ?? {}, problems);
  return problems;
}
