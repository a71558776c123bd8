import type { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { imSizing } from "../../lib/im-sizing";
import { capacityAlertRules } from "./capacity-alerts";
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
    {
      alert: "WarblerDatabaseCertificateExpiresSoon",
      // The cloud renews the database's certificate itself (RDS, Flexible Server, ApsaraDB); one still this close to
      // its end was not renewed, and at expiry every pod's verify-full connection fails.
      expr: `min(warbler_database_certificate_expiry_timestamp_seconds{${sel}}) - time() < 30 * 24 * 3600`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: "The database server's TLS certificate expires within 30 days",
        description:
          "The managed PostgreSQL's certificate, as the exporter's verify-full connection sees it, has not been " +
          "renewed. Renew or rotate it in the cloud's console (docs/<cloud>.md, database CA), and check that " +
          "warbler:database.caBundle holds the CA that signs the new one.",
      },
    },
  ];
}

/** Below this many sessions a drop is ordinary churn (a small office going home), not an incident. */
export const sessionDropFloor = 100;

/**
 * The analytics alerts (docs/analytics.md): a sudden loss of sessions, a burst of failed logins, and an exporter
 * whose numbers stopped (no samples at all, or a rollup that no longer runs).
 */
export function analyticsAlertRules(namespace: string): AlertRule[] {
  const sel = `namespace="${namespace}"`;
  const peak = `max(max_over_time(ejabberd_online_users{${sel}}[10m]))`;
  const failures = (range: string, offset = "") =>
    `sum(rate(ejabberd_login_failures_total{${sel}}[${range}]${offset}))`;
  return [
    {
      alert: "EjabberdSessionsDropped",
      // ejabberd_online_users is cluster-wide on every pod: max, never sum.
      expr: `max(ejabberd_online_users{${sel}}) < 0.7 * ${peak} and ${peak} >= ${sessionDropFloor}`,
      for: "2m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Concurrent sessions fell by more than 30% within 10 minutes",
        description:
          "Clients are disconnecting faster than they log in: a node or the load balancer dropped connections, or " +
          "logins fail. Compare ejabberd_logins_total with ejabberd_login_failures_total and check the nodes.",
      },
    },
    {
      alert: "EjabberdLoginFailureSpike",
      // At least 6 failures a minute, and three times the hour before: a password-guessing run or a broken backend.
      expr: `${failures("5m")} > 0.1 and ${failures("5m")} > 3 * ${failures("1h", " offset 5m")}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Failed logins jumped",
        description:
          "Failed client logins are over 6 a minute and three times the previous hour's rate: password guessing " +
          "(mod_fail2ban bans by address) or an authentication backend that refuses good passwords.",
      },
    },
    {
      alert: "WarblerExporterAbsent",
      expr: `absent(ejabberd_up{${sel}})`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Prometheus has no sample from the ejabberd exporter",
        description:
          "No exporter sidecar has been scraped for 5 minutes, so sessions, logins and messages on the dashboards " +
          "are stale. Check the ServiceMonitor 'ejabberd' and the pods' exporter containers.",
      },
    },
    {
      alert: "WarblerAnalyticsStale",
      expr:
        `max(warbler_analytics_up{${sel}}) == 0 or ` +
        `time() - max(warbler_analytics_rollup_timestamp_seconds{${sel}}) > 1800`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "The analytics rollup has stopped",
        description:
          "No exporter has counted messages or written warbler_daily_stats for 30 minutes: the database refuses the " +
          "exporter's role or the analytics schema is missing. The exporter's log names the failing query.",
      },
    },
  ];
}

/**
 * The ENA driver's allowance statistics (`ethtool -S` on Nitro instances,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-network-performance-ena.html; the names are the
 * kernel's drivers/net/ethernet/amazon/ena/ena_ethtool.c). node-exporter's ethtool collector exports each as
 * `node_ethtool_<name>` (components/kubernetes/grafana.ts turns it on for these names only).
 */
export const enaAllowanceStats = [
  "bw_in_allowance_exceeded",
  "bw_out_allowance_exceeded",
  "pps_allowance_exceeded",
  "conntrack_allowance_exceeded",
  "linklocal_allowance_exceeded",
  "conntrack_allowance_available",
] as const;

/** Share of a node's limit above which the node alerts fire. */
export const nodeLimitShare = 0.8;

/**
 * Node limits an IM node meets first: one file descriptor and one conntrack entry per client connection, and, on
 * AWS, the instance's network allowances. The metrics are node-exporter's (`filefd` and `conntrack` collectors, on by
 * default; `ethtool`, on for the ENA allowance statistics only). The ENA counters count packets queued or dropped
 * since the driver loaded; NICs without them (Azure, Alibaba) export no such series and the alert stays quiet.
 */
export function nodeAlertRules(): AlertRule[] {
  const share = (used: string, limit: string) => `${used} / ${limit} > ${nodeLimitShare}`;
  // increase() drops the metric name; a label per counter keeps the series of one NIC apart and names the allowance.
  const exceeded = enaAllowanceStats
    .filter((s) => s.endsWith("_exceeded"))
    .map((s) => `label_replace(increase(node_ethtool_${s}[5m]), "allowance", "${s}", "", "") > 0`)
    .join(" or ");
  return [
    {
      alert: "NodeFileDescriptorsNearLimit",
      expr: share("node_filefd_allocated", "node_filefd_maximum"),
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "A node has used 80% of its file descriptors",
        description:
          "{{ $labels.instance }} is close to fs.file-max; every client connection holds one descriptor, and new " +
          "logins fail at the limit. Spread sessions over more nodes or raise the limit.",
      },
    },
    {
      alert: "NodeConntrackNearLimit",
      expr: share("node_nf_conntrack_entries", "node_nf_conntrack_entries_limit"),
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "A node's connection-tracking table is 80% full",
        description:
          "{{ $labels.instance }} tracks each client connection; at nf_conntrack_max the kernel drops new ones " +
          "silently. Raise net.netfilter.nf_conntrack_max or spread the load.",
      },
    },
    {
      alert: "NodeNetworkAllowanceExceeded",
      expr: exceeded,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "A node's ENA network allowance is exceeded",
        description:
          "{{ $labels.instance }} ({{ $labels.device }}) queued or dropped packets over its {{ $labels.allowance }} " +
          "(bandwidth, packets per second, conntrack or link-local allowance of the instance type) in the last 5 " +
          "minutes. Spread sessions over more nodes or use a larger instance type.",
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
    spec: {
      groups: [
        { name: "ejabberd", rules: alertRules(props.replicas, namespace) },
        {
          name: "ejabberd-capacity",
          rules: capacityAlertRules(imSizing(props.sessionsPerInstance, props.replicas), namespace),
        },
      ],
    },
  });
  new PrometheusRule(scope, "analytics-rules", {
    metadata: meta("warbler-analytics"),
    spec: {
      groups: [
        { name: "warbler-analytics", rules: analyticsAlertRules(namespace) },
        { name: "warbler-nodes", rules: nodeAlertRules() },
      ],
    },
  });
}
