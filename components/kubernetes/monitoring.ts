import { ConfigMap, Namespace, Secret } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import type { PlatformConfig } from "../../config/schema";
import type { RegistryMirror } from "../../lib/registry-mirror";
import { warblerDashboards } from "./dashboards";
import {
  dashboardLabel,
  grafanaAdminSecret,
  grafanaNetworkPolicies,
  grafanaOidcSecret,
  grafanaValues,
  nodeExporterNamespace,
  nodeExporterNetworkPolicies,
} from "./grafana";
import { kubePrometheusStackMirrorValues, mergeValues, releaseChart } from "./mirror-values";
import { namespaceLabels } from "./namespace-labels";
import { applyNetworkPolicies } from "./network-policy-resources";
import { monitoringNetworkPolicies } from "./system-network-policies";
import { helmCharts } from "./versions";

/** Grafana's part of the values: where it is served and how people log in. */
export interface GrafanaSettings {
  /** The IM domain; Grafana answers on https://<domain>/grafana. */
  domain: string;
  /** Single sign-on (`warbler:grafana.oidc`). @default - the generated admin login only */
  oidc?: PlatformConfig["grafana"]["oidc"];
}

/**
 * Helm values for kube-prometheus-stack: find ServiceMonitors and rules in every namespace; keep data on encrypted
 * volumes; Grafana as the admin console and node-exporter for node limits (components/kubernetes/grafana.ts).
 */
export function kubePrometheusStackValues(
  storageClassName: string,
  grafana: GrafanaSettings,
  alertWebhook?: string,
): Record<string, unknown> {
  const volume = (size: string) => ({
    volumeClaimTemplate: {
      spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } },
    },
  });
  return {
    // Without these, the operator only picks up objects labelled with the Helm release name.
    prometheus: {
      prometheusSpec: {
        serviceMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        retention: "15d",
        replicas: 2,
        storageSpec: volume("100Gi"),
        resources: { requests: { cpu: "500m", memory: "4Gi" }, limits: { cpu: "2", memory: "8Gi" } },
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: 2,
        storage: volume("10Gi"),
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      },
      ...(alertWebhook
        ? {
            config: {
              route: { receiver: "webhook", group_by: ["alertname", "namespace"] },
              receivers: [{ name: "webhook", webhook_configs: [{ url: alertWebhook, send_resolved: true }] }],
            },
          }
        : {}),
    },
    ...grafanaValues(grafana.domain, grafana.oidc),
  };
}

export interface MonitoringArgs {
  /** The cluster's provider (the kit's `cluster.provider`). @default - none, required */
  provider: Provider;
  /** The kit's encrypted StorageClass, for Prometheus and Alertmanager volumes. @default - none, required */
  storageClassName: string;
  /** HTTPS webhook alerts go to (`warbler:alertWebhook`). @default - alerts stay in Alertmanager */
  alertWebhook?: pulumi.Input<string>;
  /** owner and data-classification labels for the namespace. @default - none, required */
  labels: Record<string, string>;
  /**
   * The VPC/VNet range of the nodes, where Prometheus scrapes the kubelets (`warbler:network.cidr`).
   * @default - none, required
   */
  nodeCidr: string;
  /** Port of `alertWebhook`, opened for Alertmanager's egress. @default - no egress beyond DNS and the API server */
  alertWebhookPort?: number;
  /** Where Grafana is served and its single sign-on. @default - none, required */
  grafana: GrafanaSettings;
  /** Client secret of `grafana.oidc` (`warbler:grafanaOidcClientSecret`). @default - none; required with oidc */
  grafanaOidcClientSecret?: pulumi.Input<string>;
  /** `warbler:cluster.registryMirror`: the chart and images are pulled through it. @default - the upstream ones */
  registryMirror?: RegistryMirror;
}

/**
 * kube-prometheus-stack from its Helm chart: the Prometheus Operator CRDs, Prometheus, Alertmanager, node-exporter and
 * Grafana with Warbler's dashboards.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly release: Release;
  readonly namespace = helmCharts.kubePrometheusStack.namespace;
  /** Grafana's generated admin password (secret); the user is "admin". */
  readonly adminPassword: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:kubernetes:Monitoring", name, {}, opts);
    const pin = helmCharts.kubePrometheusStack;
    const options = { parent: this, provider: args.provider };
    // "baseline": the chart's pods are non-root but not promised "restricted" across releases; audit and warn report
    // any gap.
    const ns = new Namespace(
      `${name}-namespace`,
      { metadata: { name: pin.namespace, labels: namespaceLabels(args.labels, "baseline") } },
      options,
    );
    const oidc = args.grafana.oidc !== undefined;
    const policies = applyNetworkPolicies(
      name,
      ns.metadata.name,
      [
        ...monitoringNetworkPolicies({ nodeCidr: args.nodeCidr, alertWebhookPort: args.alertWebhookPort }),
        ...grafanaNetworkPolicies(args.nodeCidr, oidc),
      ],
      args.labels,
      options,
    );
    // node-exporter shares the host's network and PID namespace and mounts its root: "privileged" is the only level
    // that admits it, so it lives alone in its namespace (the pack's Pod Security policy reports it, advisory).
    const nodeNs = new Namespace(
      `${name}-node-exporter-namespace`,
      { metadata: { name: nodeExporterNamespace, labels: namespaceLabels(args.labels, "privileged") } },
      options,
    );
    const nodePolicies = applyNetworkPolicies(
      `${name}-node-exporter`,
      nodeNs.metadata.name,
      nodeExporterNetworkPolicies(),
      args.labels,
      options,
    );
    const adminPassword = new RandomPassword(`${name}-grafana-admin-password`, { length: 32, special: false }, options);
    const adminSecret = new Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: grafanaAdminSecret.name, namespace: ns.metadata.name, labels: args.labels },
        stringData: { [grafanaAdminSecret.userKey]: "admin", [grafanaAdminSecret.passwordKey]: adminPassword.result },
      },
      options,
    );
    const oidcSecret =
      oidc && args.grafanaOidcClientSecret !== undefined
        ? [
            new Secret(
              `${name}-grafana-oidc`,
              {
                metadata: { name: grafanaOidcSecret.name, namespace: ns.metadata.name, labels: args.labels },
                stringData: { [grafanaOidcSecret.key]: pulumi.secret(args.grafanaOidcClientSecret) },
              },
              options,
            ),
          ]
        : [];
    for (const dashboard of warblerDashboards()) {
      new ConfigMap(
        `${name}-dashboard-${dashboard.uid}`,
        {
          metadata: {
            name: dashboard.uid,
            namespace: ns.metadata.name,
            labels: { ...args.labels, [dashboardLabel.key]: dashboardLabel.value },
          },
          data: { [dashboard.file]: JSON.stringify(dashboard.model) },
        },
        options,
      );
    }
    this.adminPassword = adminPassword.result;
    this.release = new Release(
      `${name}-release`,
      {
        name: "kube-prometheus-stack",
        ...releaseChart(pin, args.registryMirror),
        version: pin.version,
        namespace: ns.metadata.name,
        atomic: true,
        values: pulumi
          .output(args.alertWebhook)
          .apply((webhook) =>
            mergeValues(
              kubePrometheusStackValues(args.storageClassName, args.grafana, webhook),
              kubePrometheusStackMirrorValues(args.registryMirror),
            ),
          ),
      },
      // The admission webhook's certificate Jobs start under default deny: their allows must exist first; Grafana
      // starts only with its admin Secret, and node-exporter only in its own namespace.
      { ...options, dependsOn: [...policies, ...nodePolicies, adminSecret, ...oidcSecret] },
    );
    this.registerOutputs({});
  }
}
