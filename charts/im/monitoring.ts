import type { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { type AlertRule, PrometheusRule, ServiceMonitor } from "./crds";
import { ejabberdNames, ejabberdSelector } from "./ejabberd";
import type { ResolvedImChartProps } from "./props";
import { turnSelector } from "./turn";

/**
 * The alerts, as data. Metric names are the exporter's (charts/im/exporter/),
 * plus kube-state-metrics and cert-manager's own, which kube-prometheus-stack
 * and cert-manager's ServiceMonitor provide.
 */
export function alertRules(replicas: number, namespace: string): AlertRule[] {
  const sel = `namespace="${namespace}"`;
  return [
    {
      alert: "EjabberdNodeDown",
      expr: `up{${sel},service="${ejabberdNames.http}"} == 0 or ejabberd_up{${sel}} == 0`,
      for: "2m",
      labels: { severity: "critical" },
      annotations: {
        summary: "An ejabberd node does not answer",
        description:
          "{{ $labels.pod }} has not answered its API for 2 minutes; its clients are reconnecting to the other nodes.",
      },
    },
    {
      alert: "EjabberdClusterSplit",
      expr:
        `min(ejabberd_cluster_nodes{${sel}}) < ${replicas} or max(ejabberd_cluster_nodes{${sel}}) != ` +
        `min(ejabberd_cluster_nodes{${sel}})`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "ejabberd nodes disagree on the cluster",
        description:
          `Some node sees fewer than ${replicas} members, or nodes report different member counts: a node left ` +
          `or the cluster split. Check 'ejabberdctl list_cluster' on each pod.`,
      },
    },
    {
      alert: "EjabberdDatabaseUnreachable",
      expr: `ejabberd_database_up{${sel}} == 0`,
      for: "1m",
      labels: { severity: "critical" },
      annotations: {
        summary: "ejabberd cannot reach PostgreSQL",
        description:
          "Logins, offline messages and the archive fail while the managed database does not answer queries.",
      },
    },
    {
      alert: "EjabberdApiErrorRate",
      // A scrape every 30 s makes about 0.2 calls/s per pod; 0.02/s is one call in ten failing.
      expr: `sum by (pod) (rate(ejabberd_exporter_errors_total{${sel}}[5m])) > 0.02`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "ejabberd API calls fail",
        description: "About one in ten of the exporter's API calls to {{ $labels.pod }} has failed for 10 minutes.",
      },
    },
    {
      alert: "EjabberdCertificateExpiresSoon",
      expr:
        `certmanager_certificate_expiration_timestamp_seconds{${sel},name="${ejabberdNames.tlsSecret}"} - ` +
        `time() < 14 * 24 * 3600`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: "The IM TLS certificate expires within 14 days",
        description:
          "cert-manager renews 30 days ahead; a renewal is failing. Check 'kubectl describe certificate ejabberd-tls'.",
      },
    },
  ];
}

export function addMonitoring(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string) => k8s.ObjectMeta,
): void {
  const namespace = meta("").namespace!;
  new ServiceMonitor(scope, "ejabberd-servicemonitor", {
    metadata: meta("ejabberd"),
    spec: {
      selector: { matchLabels: ejabberdSelector },
      namespaceSelector: { matchNames: [namespace] },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "30s", scrapeTimeout: "10s" }],
    },
  });
  if (props.turn) {
    new ServiceMonitor(scope, "eturnal-servicemonitor", {
      metadata: meta("eturnal"),
      spec: {
        selector: { matchLabels: turnSelector },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
      },
    });
  }
  new PrometheusRule(scope, "ejabberd-rules", {
    metadata: meta("ejabberd"),
    spec: { groups: [{ name: "ejabberd", rules: alertRules(props.replicas, namespace) }] },
  });
}
