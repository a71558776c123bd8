import { enaAllowanceStats } from "../../charts/im/monitoring";
import type { PlatformConfig } from "../../config/schema";
import {
  chartPodLabels,
  grafanaPort,
  type NamedNetworkPolicy,
  type PolicyPort,
  scrapePorts,
} from "./system-network-policies";
import { helmCharts } from "./versions";

/**
 * Grafana in kube-prometheus-stack (its `grafana` sub-chart) as Warbler's admin console, and node-exporter, as pure
 * data: Helm values, the NetworkPolicies they need and the names the Monitoring component creates.
 */

/** The path Grafana is served under on https://<domain>; the edge's HTTPRoute sends it there unchanged. */
export const grafanaPath = "/grafana";

/** The Secret holding Grafana's admin login (generated), in the monitoring namespace. */
export const grafanaAdminSecret = {
  name: "warbler-grafana-admin",
  userKey: "admin-user",
  passwordKey: "admin-password",
};

/** The Secret holding the OIDC client secret, read into Grafana's environment. */
export const grafanaOidcSecret = { name: "warbler-grafana-oidc", key: "client-secret" };

/** Label the dashboard sidecar watches for; a ConfigMap carrying it becomes dashboards. */
export const dashboardLabel = { key: "grafana_dashboard", value: "1" } as const;

/** node-exporter needs the host's network, PID namespace and root filesystem: its own "privileged" namespace. */
export const nodeExporterNamespace = "node-exporter";

/** node-exporter's port on every node (the prometheus-node-exporter chart's service.port). */
export const nodeExporterPort = 9100;

/**
 * kube-prometheus-stack's own `prometheus-node-exporter.extraArgs` (charts/kube-prometheus-stack/values.yaml): Helm
 * replaces a list value instead of merging it, so setting the list repeats them, or node-exporter would report
 * container and pseudo file systems as disks.
 */
export const chartNodeExporterArgs = [
  "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)",
  "--collector.filesystem.fs-types-exclude=^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|" +
    "fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|" +
    "sysfs|tracefs|erofs)$",
];

/**
 * node-exporter's ethtool collector is off by default; `metrics-include` keeps only the ENA allowance statistics of
 * the driver's `ethtool -S` list (node_exporter collector/ethtool_linux.go matches it against each stat name,
 * unanchored, hence ^...$). NICs whose driver has no such statistics (Azure, Alibaba) export none of these names.
 */
const nodeExporterArgs = [
  ...chartNodeExporterArgs,
  "--collector.ethtool",
  `--collector.ethtool.metrics-include=^(${enaAllowanceStats.join("|")})$`,
];

const tcp = (...ports: number[]): PolicyPort[] => ports.map((port) => ({ protocol: "TCP", port }));

/**
 * Values for the `grafana` and node-exporter parts of kube-prometheus-stack. Grafana settings are grafana.ini's
 * (grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/): `root_url` with `serve_from_sub_path` makes
 * Grafana answer on /grafana itself, as the HTTPRoute forwards the path unchanged.
 */
export function grafanaValues(domain: string, oidc: PlatformConfig["grafana"]["oidc"]): Record<string, unknown> {
  const oauth = oidc
    ? {
        "auth.generic_oauth": {
          enabled: true,
          name: oidc.name,
          client_id: oidc.clientId,
          scopes: oidc.scopes.join(" "),
          auth_url: oidc.authUrl,
          token_url: oidc.tokenUrl,
          api_url: oidc.apiUrl,
          use_pkce: true,
          allow_sign_up: true,
          ...(oidc.roleAttributePath ? { role_attribute_path: oidc.roleAttributePath } : {}),
        },
      }
    : {};
  return {
    grafana: {
      enabled: true,
      admin: {
        existingSecret: grafanaAdminSecret.name,
        userKey: grafanaAdminSecret.userKey,
        passwordKey: grafanaAdminSecret.passwordKey,
      },
      "grafana.ini": {
        server: { domain, root_url: `https://${domain}${grafanaPath}/`, serve_from_sub_path: true },
        security: { cookie_secure: true, disable_gravatar: true },
        users: { allow_sign_up: false },
        "auth.anonymous": { enabled: false },
        analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
        ...oauth,
      },
      // The client secret reaches Grafana as GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET (grafana.ini's env override).
      ...(oidc
        ? {
            envValueFrom: {
              GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: {
                secretKeyRef: { name: grafanaOidcSecret.name, key: grafanaOidcSecret.key },
              },
            },
          }
        : {}),
      sidecar: {
        dashboards: { enabled: true, label: dashboardLabel.key, labelValue: dashboardLabel.value },
        // The dashboards name this data source by uid (components/kubernetes/dashboards/panels.ts).
        datasources: { enabled: true, defaultDatasourceEnabled: true, uid: "prometheus" },
      },
      testFramework: { enabled: false },
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    },
    nodeExporter: { enabled: true },
    "prometheus-node-exporter": { namespaceOverride: nodeExporterNamespace, extraArgs: nodeExporterArgs },
  };
}

/**
 * What Grafana and node-exporter add to the monitoring namespace's default deny: Grafana queries Prometheus and
 * Alertmanager in its namespace and (with OIDC) the provider over HTTPS; Prometheus scrapes Grafana and node-exporter.
 */
export function grafanaNetworkPolicies(nodeCidr: string, oidc: boolean): NamedNetworkPolicy[] {
  const grafana = { matchLabels: { ...chartPodLabels.grafana } };
  const prometheus = { matchLabels: { ...chartPodLabels.prometheus } };
  return [
    {
      name: "grafana-to-data-sources",
      spec: {
        podSelector: grafana,
        policyTypes: ["Egress"],
        egress: [
          { to: [{ podSelector: {} }], ports: tcp(scrapePorts.prometheus, scrapePorts.alertmanager) },
          ...(oidc ? [{ ports: tcp(443) }] : []),
        ],
      },
    },
    {
      name: "grafana-from-prometheus",
      spec: {
        podSelector: grafana,
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: prometheus }], ports: tcp(grafanaPort) }],
      },
    },
    {
      name: "prometheus-to-grafana-and-nodes",
      spec: {
        podSelector: prometheus,
        policyTypes: ["Egress"],
        egress: [
          { to: [{ podSelector: grafana }], ports: tcp(grafanaPort) },
          // node-exporter listens on the node's own address (hostNetwork).
          { to: [{ ipBlock: { cidr: nodeCidr } }], ports: tcp(nodeExporterPort) },
        ],
      },
    },
  ];
}

/** node-exporter's namespace: default deny, then Prometheus in on its port (where the CNI applies it to host pods). */
export function nodeExporterNetworkPolicies(): NamedNetworkPolicy[] {
  return [
    { name: "default-deny", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    {
      name: "from-prometheus",
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { "kubernetes.io/metadata.name": helmCharts.kubePrometheusStack.namespace },
                },
                podSelector: { matchLabels: { ...chartPodLabels.prometheus } },
              },
            ],
            ports: tcp(nodeExporterPort),
          },
        ],
      },
    },
  ];
}
