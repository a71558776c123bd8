import { Namespace } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { namespaceLabels } from "./namespace-labels";
import { applyNetworkPolicies } from "./network-policy-resources";
import { ingressNginxNetworkPolicies } from "./system-network-policies";
import { helmCharts } from "./versions";

/** TLS 1.2 and 1.3 only, forward-secret AEAD ciphers (Mozilla "intermediate"), the same list ejabberd serves. */
export const ingressTls = {
  protocols: "TLSv1.2 TLSv1.3",
  ciphers:
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" +
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" +
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
  /** Two years, the HSTS preload list's minimum. */
  hstsMaxAgeSeconds: 63072000,
};

/** Helm values for ingress-nginx behind the cloud's L4 load balancer. Pure, so tests read it directly. */
export function ingressNginxValues(loadBalancerAnnotations: Record<string, string>): Record<string, unknown> {
  return {
    controller: {
      replicaCount: 3,
      ingressClassResource: { name: "nginx", default: true },
      config: {
        "ssl-protocols": ingressTls.protocols,
        "ssl-ciphers": ingressTls.ciphers,
        "ssl-prefer-server-ciphers": "true",
        hsts: "true",
        "hsts-max-age": String(ingressTls.hstsMaxAgeSeconds),
        "hsts-include-subdomains": "true",
        "ssl-redirect": "true",
        // Snippets let any Ingress author inject nginx config (CVE-2021-25742, CVE-2025-1974): off.
        "allow-snippet-annotations": "false",
        "server-tokens": "false",
        // The client's address arrives on the TCP connection (externalTrafficPolicy Local); never trust a header for
        // it.
        "use-forwarded-headers": "false",
      },
      service: {
        type: "LoadBalancer",
        annotations: loadBalancerAnnotations,
        // Keeps client source addresses, which the /api and /admin allow-list checks.
        externalTrafficPolicy: "Local",
      },
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: {
            matchLabels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" },
          },
        },
      ],
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
      admissionWebhooks: { enabled: true },
    },
  };
}

export interface IngressNginxArgs {
  /** The cluster's provider (the kit's `cluster.provider`). @default - none, required */
  provider: Provider;
  /**
   * Service annotations for the cloud's TCP load balancer (the kit's `cluster.loadBalancer.tcpAnnotations`).
   * @default - none, required
   */
  loadBalancerAnnotations: Record<string, string>;
  /** owner and data-classification labels for the namespace. @default - none, required */
  labels: Record<string, string>;
}

/** ingress-nginx from its Helm chart at the pinned version. */
export class IngressNginx extends pulumi.ComponentResource {
  readonly release: Release;
  readonly namespace = helmCharts.ingressNginx.namespace;

  constructor(name: string, args: IngressNginxArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:kubernetes:IngressNginx", name, {}, opts);
    const pin = helmCharts.ingressNginx;
    const ns = new Namespace(
      `${name}-namespace`,
      // Enforced at "baseline": the controller needs NET_BIND_SERVICE for 80/443 and the chart's defaults
      // (non-root, drop ALL, seccomp) are not promised "restricted" across releases; audit and warn report any gap.
      { metadata: { name: pin.namespace, labels: namespaceLabels(args.labels, "baseline") } },
      { parent: this, provider: args.provider },
    );
    const policies = applyNetworkPolicies(name, ns.metadata.name, ingressNginxNetworkPolicies(), args.labels, {
      parent: this,
      provider: args.provider,
    });
    this.release = new Release(
      `${name}-release`,
      {
        name: "ingress-nginx",
        chart: pin.chart,
        version: pin.version,
        repositoryOpts: { repo: pin.repo },
        namespace: ns.metadata.name,
        atomic: true,
        values: ingressNginxValues(args.loadBalancerAnnotations),
      },
      // The chart's hook Jobs start under default deny: their allows must exist first.
      { parent: this, provider: args.provider, dependsOn: policies },
    );
    this.registerOutputs({});
  }
}
