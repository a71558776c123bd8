import { App, Chart } from "cdk8s";
import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { addEjabberd } from "./ejabberd";
import { addMonitoring } from "./monitoring";
import { addNetworkPolicies } from "./network-policies";
import { type ImChartProps, imNamespace, imObjectLabels, imServiceAccounts, resolveImChartProps } from "./props";
import { addRoutes } from "./routes";
import { addTurn } from "./turn";
import { addUploadService } from "./upload-service";

/**
 * The IM services in the `warbler-im` namespace: ejabberd cluster, TURN,
 * upload service, the Gateway and its routes, certificate, NetworkPolicies and monitoring.
 * Secrets are not here: the Kubernetes layer creates them from secret
 * Outputs, under the names in `imSecretNames`.
 */
export class ImChart extends Chart {
  constructor(scope: Construct, id: string, input: ImChartProps) {
    // Each object names its namespace itself: a chart-wide one would also land on the cluster-scoped Namespace.
    super(scope, id);
    const props = resolveImChartProps(input);
    const labels = imObjectLabels(props.labels);
    const meta = (name: string, extra: Record<string, string> = {}): k8s.ObjectMeta => ({
      ...(name ? { name } : {}),
      namespace: imNamespace,
      labels: { ...labels, ...extra },
    });

    new k8s.KubeNamespace(this, "namespace", {
      metadata: {
        name: imNamespace,
        labels: {
          ...labels,
          ...props.identityNamespaceLabels,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    });
    // One per workload; only the upload service's carries the bucket's workload identity.
    new k8s.KubeServiceAccount(this, "service-account", {
      metadata: meta(imServiceAccounts.ejabberd),
      automountServiceAccountToken: false,
    });
    new k8s.KubeServiceAccount(this, "upload-service-account", {
      metadata: { ...meta(imServiceAccounts.upload), annotations: props.serviceAccountAnnotations },
      automountServiceAccountToken: false,
    });
    if (props.turn) {
      new k8s.KubeServiceAccount(this, "turn-service-account", {
        metadata: meta(imServiceAccounts.turn),
        automountServiceAccountToken: false,
      });
    }
    addNetworkPolicies(this, props, meta);
    addEjabberd(this, props, meta);
    addUploadService(this, props, meta);
    addTurn(this, props, meta);
    addRoutes(this, props, meta);
    addMonitoring(this, props, meta);
  }
}

/** Synthesizes the chart to plain manifest objects, in dependency order (namespace first). */
export function synthesizeImChart(props: ImChartProps): Record<string, unknown>[] {
  const app = new App();
  const chart = new ImChart(app, "warbler-im", props);
  return chart.toJson() as Record<string, unknown>[];
}
