/** Third-party Helm charts, pinned. Upgrading one is a reviewed change to this table. */
export const helmCharts = {
  ingressNginx: {
    chart: "ingress-nginx",
    version: "4.14.5",
    repo: "https://kubernetes.github.io/ingress-nginx",
    namespace: "ingress-nginx",
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
  },
} as const;
