/** Third-party Helm charts, pinned. Upgrading one is a reviewed change to this table. */
export const helmCharts = {
  /**
   * Envoy Gateway v1.9.2 (released after v1.9.0 of 2026-08-14; the v1.9 line supports Kubernetes 1.33 to 1.36). The
   * chart installs the Gateway API CRDs with it: v1.9 requires Gateway API v1.6 (release-notes/v1.9.0.yaml in
   * envoyproxy/gateway: "You must upgrade the Gateway API CRDs to v1.6 with this release").
   */
  envoyGateway: {
    chart: "oci://docker.io/envoyproxy/gateway-helm",
    version: "v1.9.2",
    namespace: "envoy-gateway-system",
    release: "envoy-gateway",
  },
  certManager: {
    chart: "cert-manager",
    version: "v1.19.1",
    repo: "https://charts.jetstack.io",
    namespace: "cert-manager",
  },
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    version: "79.7.1",
    repo: "https://prometheus-community.github.io/helm-charts",
    namespace: "monitoring",
    release: "kube-prometheus-stack",
  },
} as const;
