import type { PolicyResource } from "@pulumi/policy";

/** A manifest as the engine hands it over (the policy SDK's own untyped props). */
export type Props = PolicyResource["props"];

/** Pulumi type tokens of the Gateway API and Envoy Gateway objects the gateway policies read. */
export const gatewayTypes = {
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  httpRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  clientTrafficPolicy: "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy",
  backendTrafficPolicy: "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy",
  securityPolicy: "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy",
  service: "kubernetes:core/v1:Service",
} as const;

/** The annotation a backend Service declares the PROXY protocol version its port expects with (`v1` or `v2`). */
export const proxyProtocolAnnotation = "warbler.io/proxy-protocol";

/** A Kubernetes object as the engine shows it: its manifest under `props`. */
export interface K8sObject {
  resource: PolicyResource;
  name: string;
  namespace: string;
  props: Props;
}

/** The objects of `type` in the stack, with name and namespace read from their metadata. */
export function objectsOf(resources: readonly PolicyResource[], type: string): K8sObject[] {
  return resources
    .filter((r) => r.type === type)
    .map((r) => ({
      resource: r,
      name: String(r.props.metadata?.name ?? r.name),
      namespace: String(r.props.metadata?.namespace ?? "default"),
      props: r.props as Props,
    }));
}

/** The routes' parent listeners, as `<namespace>/<gateway>/<sectionName or *>`. */
export function parentsOf(route: K8sObject): string[] {
  return (route.props.spec?.parentRefs ?? []).map(
    (p: { name: string; namespace?: string; sectionName?: string }) =>
      `${p.namespace ?? route.namespace}/${p.name}/${p.sectionName ?? "*"}`,
  );
}

/** Whether a policy in `policy.namespace` targets this object (by kind and name, in its own namespace). */
export function targets(policy: K8sObject, kind: string, object: K8sObject): boolean {
  if (policy.namespace !== object.namespace) return false;
  const refs = [
    ...(policy.props.spec?.targetRefs ?? []),
    ...(policy.props.spec?.targetRef ? [policy.props.spec.targetRef] : []),
  ];
  return refs.some((ref: { kind?: string; name?: string }) => ref.kind === kind && ref.name === object.name);
}

/** The Services a route's rules send to, as `<namespace>/<name>:<port>`. */
export function backendsOf(route: K8sObject): string[] {
  return (route.props.spec?.rules ?? []).flatMap((rule: { backendRefs?: Props[] }) =>
    (rule.backendRefs ?? [])
      .filter((b) => (b.kind ?? "Service") === "Service")
      .map((b) => `${b.namespace ?? route.namespace}/${b.name}:${b.port}`),
  );
}
