import type { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { type AlertRule, PrometheusRule, ServiceMonitor } from "./crds";
import { ejabberdNames, ejabberdSelector } from "./ejabberd";
import type { ResolvedImChartProps } from "./props";
import { turnSelector, turnTlsSecret } from "./turn";
import { uploadServiceName, uploadServiceSelector } from "./upload-service";

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

/**
 * TURN's alerts: its metrics endpoint is the one sign of life Prometheus has of it; and, with TURN over TLS, a renewed
 * certificate eturnal has not loaded (it reads PEM files at start and on `eturnalctl reload` only). The second compares
 * cert-manager's `certmanager_certificate_not_before_timestamp_seconds` (cert-manager 1.18+, PR #7612) with
 * kube-state-metrics' `kube_pod_start_time`.
 */
export function turnAlertRules(namespace: string, tlsSecret?: string): AlertRule[] {
  const up = `up{namespace="${namespace}",service="eturnal-metrics"}`;
  const notLoaded: AlertRule[] = tlsSecret
    ? [
        {
          alert: "TurnCertificateNotLoaded",
          expr:
            `max(certmanager_certificate_not_before_timestamp_seconds{namespace="${namespace}",name="${tlsSecret}"}) ` +
            `> max(kube_pod_start_time{namespace="${namespace}",pod=~"eturnal-.*"})`,
          for: "1h",
          labels: { severity: "warning" },
          annotations: {
            summary: "eturnal still serves the TURN certificate it started with",
            description:
              "cert-manager renewed the TURN certificate after eturnal started, and eturnal reads it only at start. " +
              "Run 'kubectl -n warbler-im rollout restart deployment/eturnal' (relayed calls in progress drop) " +
              "before the old certificate expires.",
          },
        },
      ]
    : [];
  return [
    ...notLoaded,
    {
      alert: "TurnServerDown",
      expr: `${up} == 0 or absent(${up})`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "The TURN server does not answer",
        description:
          "eturnal's metrics endpoint has not answered for 5 minutes: calls between clients that cannot reach each " +
          "other directly fail. Check 'kubectl -n warbler-im describe deployment eturnal'.",
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
  new ServiceMonitor(scope, "upload-servicemonitor", {
    metadata: meta(uploadServiceName),
    spec: {
      selector: { matchLabels: uploadServiceSelector },
      namespaceSelector: { matchNames: [namespace] },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
    },
  });
  if (props.turn) {
    // eturnal.yml turns on mod_stats_prometheus on this port (charts/im/eturnal-config.ts), so the target answers.
    new ServiceMonitor(scope, "eturnal-servicemonitor", {
      metadata: meta("eturnal"),
      spec: {
        selector: { matchLabels: turnSelector },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: "metrics", path: "/metrics", interval: "30s", scrapeTimeout: "10s" }],
      },
    });
    new PrometheusRule(scope, "eturnal-rules", {
      metadata: meta("eturnal"),
      spec: {
        groups: [{ name: "eturnal", rules: turnAlertRules(namespace, props.turn.tlsHost ? turnTlsSecret : undefined) }],
      },
    });
  }
  new PrometheusRule(scope, "ejabberd-rules", {
    metadata: meta("ejabberd"),
    spec: { groups: [{ name: "ejabberd", rules: alertRules(props.replicas, namespace) }] },
  });
}
