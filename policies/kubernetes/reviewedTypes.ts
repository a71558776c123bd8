/**
 * Kubernetes resource types the kits and charts create that no policy
 * evaluates, each with the reason a reviewer accepted (see policies/coverage.ts).
 */
export const reviewedTypes: Readonly<Record<string, string>> = {
  "kubernetes:cert-manager.io/v1:Certificate":
    "Requests the Gateway's certificate; its use on every listener is checked by kubernetes-gateway-tls.",
  "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy":
    "How Envoy Gateway deploys the proxies (Service annotations, replicas, drain); the LoadBalancer Service it " +
    "creates at run time is not in the plan, and the listeners it serves are checked by kubernetes-gateway-tls.",
  "kubernetes:gateway.networking.k8s.io/v1:GatewayClass":
    "Names the controller (Envoy Gateway) and its EnvoyProxy; carries no listener, route or access setting.",
  "kubernetes:gateway.networking.k8s.io/v1:ReferenceGrant":
    "Lets the IM namespace's routes name one Service in another namespace (Grafana); the routes themselves are " +
    "checked by kubernetes-gateway-admin-allow-list.",
  "kubernetes:cert-manager.io/v1:ClusterIssuer": "The ACME account that issues certificates; holds no workload data.",
  "kubernetes:core/v1:ConfigMap":
    "Rendered configuration (ejabberd.yml, the bundled sidecars, dashboards); no secret is ever put in one (the " +
    "ejabberd renderer writes secrets as macros of a separate Secret, and a unit test checks it).",
  "kubernetes:helm.sh/v3:Release":
    "Third-party charts at pinned versions (components/kubernetes/versions.ts); the objects they render exist only " +
    "at apply time, and the values Warbler sets are tested in test/chart/.",
  "kubernetes:core/v1:Secret":
    "Secret values reach the engine decrypted and the offline plan redacted, so a policy cannot judge them; " +
    "kubernetes-no-plaintext-secrets keeps them out of pod specs.",
  "kubernetes:core/v1:ServiceAccount":
    "Workload identities; the cloud roles they map to are checked by the least-privilege policies.",
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": "Alert rules; monitoring configuration only.",
  "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": "Scrape configuration; monitoring only.",
  "kubernetes:policy/v1:PodDisruptionBudget": "Availability during node maintenance; no security setting.",
  "kubernetes:yaml:ConfigGroup": "A component: each object it holds is registered and checked as its own resource.",
  "pulumi:providers:kubernetes": "Provider configuration; the kubeconfig is a Pulumi secret.",
};
