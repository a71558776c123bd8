/**
 * Kubernetes resource types the kits and charts create that no policy
 * evaluates, each with the reason a reviewer accepted (see policies/coverage.ts).
 */
export const reviewedTypes: Readonly<Record<string, string>> = {
  "kubernetes:cert-manager.io/v1:Certificate":
    "Requests the ingress certificate; TLS use is checked by kubernetes-ingress-tls.",
  "kubernetes:cert-manager.io/v1:ClusterIssuer": "The ACME account that issues certificates; holds no workload data.",
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
