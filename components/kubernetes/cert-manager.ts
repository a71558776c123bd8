import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Namespace } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { namespaceLabels } from "./namespace-labels";
import { applyNetworkPolicies } from "./network-policy-resources";
import { certManagerNetworkPolicies } from "./system-network-policies";
import { helmCharts } from "./versions";

export const acmeServers = {
  production: "https://acme-v02.api.letsencrypt.org/directory",
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

/** Names of the ClusterIssuers: the ACME one certificates use, and a self-signed one for tests and private names. */
export const clusterIssuerNames = { acme: "letsencrypt", selfSigned: "selfsigned" } as const;

/** The ACME ClusterIssuer's spec: HTTP-01 through the nginx ingress class. Pure, so tests read it directly. */
export function acmeIssuerSpec(
  email: string,
  server: keyof typeof acmeServers,
  ingressClassName: string,
): Record<string, unknown> {
  return {
    acme: {
      email,
      server: acmeServers[server],
      privateKeySecretRef: { name: `${clusterIssuerNames.acme}-account-key` },
      solvers: [{ http01: { ingress: { ingressClassName } } }],
    },
  };
}

export interface CertManagerArgs {
  /** The cluster's provider (the kit's `cluster.provider`). @default - none, required */
  provider: Provider;
  /** Contact for the ACME account (`warbler:acme.email`). @default - none, required */
  email: string;
  /** ACME directory (`warbler:acme.server`). @default - none, required */
  server: keyof typeof acmeServers;
  /** Ingress class the HTTP-01 solver uses. @default - none, required */
  ingressClassName: string;
  /** owner and data-classification labels for the namespace. @default - none, required */
  labels: Record<string, string>;
  /** The ingress controller must serve the HTTP-01 challenge before an issuer can work. @default - none, required */
  dependsOn: pulumi.Resource[];
}

/** cert-manager from its Helm chart (with CRDs), an ACME ClusterIssuer and a self-signed ClusterIssuer. */
export class CertManager extends pulumi.ComponentResource {
  readonly release: Release;
  readonly acmeIssuer: CustomResource;
  readonly selfSignedIssuer: CustomResource;

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:kubernetes:CertManager", name, {}, opts);
    const pin = helmCharts.certManager;
    const options = { parent: this, provider: args.provider };
    const ns = new Namespace(
      `${name}-namespace`,
      { metadata: { name: pin.namespace, labels: namespaceLabels(args.labels, "restricted") } },
      options,
    );
    const policies = applyNetworkPolicies(name, ns.metadata.name, certManagerNetworkPolicies(), args.labels, options);
    this.release = new Release(
      `${name}-release`,
      {
        name: "cert-manager",
        chart: pin.chart,
        version: pin.version,
        repositoryOpts: { repo: pin.repo },
        namespace: ns.metadata.name,
        atomic: true,
        values: {
          crds: { enabled: true, keep: true },
          replicaCount: 2,
          podDisruptionBudget: { enabled: true, minAvailable: 1 },
          resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
          webhook: {
            replicaCount: 2,
            resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
          },
          cainjector: {
            resources: { requests: { cpu: "25m", memory: "128Mi" }, limits: { cpu: "250m", memory: "512Mi" } },
          },
          // certmanager_certificate_expiration_timestamp_seconds feeds the IM chart's expiry alert.
          prometheus: { enabled: true, servicemonitor: { enabled: true } },
        },
      },
      // The startupapicheck Job and the webhook start under default deny: their allows must exist first.
      { ...options, dependsOn: [...args.dependsOn, ...policies] },
    );
    this.acmeIssuer = new CustomResource(
      `${name}-acme-issuer`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: clusterIssuerNames.acme, labels: args.labels },
        spec: acmeIssuerSpec(args.email, args.server, args.ingressClassName),
      },
      { ...options, dependsOn: [this.release] },
    );
    this.selfSignedIssuer = new CustomResource(
      `${name}-selfsigned-issuer`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: clusterIssuerNames.selfSigned, labels: args.labels },
        spec: { selfSigned: {} },
      },
      { ...options, dependsOn: [this.release] },
    );
    this.registerOutputs({});
  }
}
