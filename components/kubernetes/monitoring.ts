import { Namespace } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { namespaceLabels } from "./namespace-labels";
import { applyNetworkPolicies } from "./network-policy-resources";
import { monitoringNetworkPolicies } from "./system-network-policies";
import { helmCharts } from "./versions";

/**
 * Helm values for kube-prometheus-stack: find ServiceMonitors and rules in every namespace; keep data on encrypted
 * volumes.
 */
export function kubePrometheusStackValues(storageClassName: string, alertWebhook?: string): Record<string, unknown> {
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
    grafana: { enabled: false },
    // node-exporter needs the host's network, PID namespace and hostPath mounts, which the policy pack forbids; the
    // clouds' own node metrics cover it.
    nodeExporter: { enabled: false },
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
}

/** kube-prometheus-stack from its Helm chart: the Prometheus Operator CRDs, Prometheus and Alertmanager. */
export class Monitoring extends pulumi.ComponentResource {
  readonly release: Release;
  readonly namespace = helmCharts.kubePrometheusStack.namespace;

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
    const policies = applyNetworkPolicies(
      name,
      ns.metadata.name,
      monitoringNetworkPolicies({ nodeCidr: args.nodeCidr, alertWebhookPort: args.alertWebhookPort }),
      args.labels,
      options,
    );
    this.release = new Release(
      `${name}-release`,
      {
        name: "kube-prometheus-stack",
        chart: pin.chart,
        version: pin.version,
        repositoryOpts: { repo: pin.repo },
        namespace: ns.metadata.name,
        atomic: true,
        values: pulumi
          .output(args.alertWebhook)
          .apply((webhook) => kubePrometheusStackValues(args.storageClassName, webhook)),
      },
      // The admission webhook's certificate Jobs start under default deny: their allows must exist first.
      { ...options, dependsOn: policies },
    );
    this.registerOutputs({});
  }
}
