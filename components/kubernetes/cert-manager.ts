import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Namespace, Secret } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Dns01Config } from "../../config/acme";
import type { RegistryMirror } from "../../lib/registry-mirror";
import type { AcmeDns01Access, WorkloadIdentity } from "../contract";
import { alidnsCredentials, alidnsWebhook, alidnsWebhookValues, dns01Solver } from "./acme-solvers";
import { alidnsWebhookMirrorValues, certManagerMirrorValues, mergeValues, releaseChart } from "./mirror-values";
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

/** The Gateway listener the HTTP-01 solver's HTTPRoute attaches to (cert-manager `gatewayHTTPRoute.parentRefs`). */
export interface Http01Gateway {
  name: string;
  namespace: string;
  sectionName: string;
}

/**
 * The ACME ClusterIssuer's spec: HTTP-01 through the Gateway (cert-manager's `gatewayHTTPRoute` solver creates an
 * HTTPRoute on the given listener), or the DNS-01 solver when one is given (acme-solvers.ts). One solver, never
 * both: an HTTP-01 fallback would only fail the same way on a standby. Pure, so tests read it directly.
 */
export function acmeIssuerSpec(
  email: string,
  server: keyof typeof acmeServers,
  gateway: Http01Gateway,
  dns01?: Record<string, unknown>,
): Record<string, unknown> {
  const parentRef = {
    kind: "Gateway",
    name: gateway.name,
    namespace: gateway.namespace,
    sectionName: gateway.sectionName,
  };
  return {
    acme: {
      email,
      server: acmeServers[server],
      privateKeySecretRef: { name: `${clusterIssuerNames.acme}-account-key` },
      solvers: [dns01 ?? { http01: { gatewayHTTPRoute: { parentRefs: [parentRef] } } }],
    },
  };
}

/**
 * cert-manager's Gateway API support, which the `gatewayHTTPRoute` solver needs: the chart's `config` (the
 * controller's ControllerConfiguration) with `enableGatewayAPI`, the way cert-manager recommends since 1.16
 * (cert-manager/website#1586; cert-manager.io/docs/usage/gateway/). The Gateway API CRDs must exist before the
 * controller starts, so the release waits for Envoy Gateway's chart, which installs them.
 */
export const certManagerGatewayApiValues = {
  config: {
    apiVersion: "controller.config.cert-manager.io/v1alpha1",
    kind: "ControllerConfiguration",
    enableGatewayAPI: true,
  },
} as const;

/** What the DNS-01 solver needs: the validated `acme.dns01`, the stack's region and the kit's access. */
export interface CertManagerDns01 {
  config: Dns01Config;
  region: string;
  /** The kit's `cluster.acmeDns01`; a config with dns01 and a kit without it is a kit bug, refused at construction. */
  access?: AcmeDns01Access;
}

/**
 * Helm values that hand cert-manager's controller the kit's DNS-01 identity: the ServiceAccount annotations (IRSA's
 * role ARN, Azure's client and tenant ids) and the pod label Azure's workload identity webhook selects on.
 */
export function certManagerIdentityValues(identity: WorkloadIdentity | undefined): Record<string, unknown> {
  if (!identity) return {};
  return {
    serviceAccount: { annotations: identity.serviceAccountAnnotations },
    ...(Object.keys(identity.podLabels).length > 0 ? { podLabels: identity.podLabels } : {}),
  };
}

export interface CertManagerArgs {
  /** The cluster's provider (the kit's `cluster.provider`). @default - none, required */
  provider: Provider;
  /** Contact for the ACME account (`warbler:acme.email`). @default - none, required */
  email: string;
  /** ACME directory (`warbler:acme.server`). @default - none, required */
  server: keyof typeof acmeServers;
  /** The Gateway listener the HTTP-01 solver's route attaches to. @default - none, required */
  http01Gateway: Http01Gateway;
  /** owner and data-classification labels for the namespace. @default - none, required */
  labels: Record<string, string>;
  /** The Gateway API CRDs and controller must exist before cert-manager starts. @default - none, required */
  dependsOn: pulumi.Resource[];
  /** DNS-01 instead of HTTP-01 (`warbler:acme.dns01`). @default - HTTP-01 through the Gateway */
  dns01?: CertManagerDns01;
  /** `warbler:cluster.registryMirror`: charts and images are pulled through it. @default - the upstream ones */
  registryMirror?: RegistryMirror;
}

/** cert-manager from its Helm chart (with CRDs), an ACME ClusterIssuer and a self-signed ClusterIssuer. */
export class CertManager extends pulumi.ComponentResource {
  readonly release: Release;
  readonly acmeIssuer: CustomResource;
  readonly selfSignedIssuer: CustomResource;

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:kubernetes:CertManager", name, {}, opts);
    const pin = helmCharts.certManager;
    const dns01 = args.dns01;
    if (dns01 && !dns01.access) {
      throw new Error(
        `CertManager '${name}': 'dns01.provider' (${dns01.config.provider}) needs the kit's DNS-01 access ` +
          "(cluster.acmeDns01), which the kit did not hand over",
      );
    }
    const options = { parent: this, provider: args.provider };
    const ns = new Namespace(
      `${name}-namespace`,
      { metadata: { name: pin.namespace, labels: namespaceLabels(args.labels, "restricted") } },
      options,
    );
    const policies = applyNetworkPolicies(
      name,
      ns.metadata.name,
      certManagerNetworkPolicies(dns01?.config.provider),
      args.labels,
      options,
    );
    this.release = new Release(
      `${name}-release`,
      {
        name: "cert-manager",
        ...releaseChart(pin, args.registryMirror),
        version: pin.version,
        namespace: ns.metadata.name,
        atomic: true,
        values: mergeValues(
          {
            crds: { enabled: true, keep: true },
            ...certManagerGatewayApiValues,
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
            ...certManagerIdentityValues(dns01?.access?.identity),
          },
          certManagerMirrorValues(args.registryMirror),
        ),
      },
      // The startupapicheck Job and the webhook start under default deny: their allows must exist first.
      { ...options, dependsOn: [...args.dependsOn, ...policies] },
    );
    const solverResources = dns01 ? this.dns01Resources(name, dns01, ns, options, args.registryMirror) : [];
    const solver = dns01
      ? pulumi
          .output(dns01.access?.clientId)
          .apply((clientId) => dns01Solver(dns01.config, { region: dns01.region, clientId }))
      : undefined;
    this.acmeIssuer = new CustomResource(
      `${name}-acme-issuer`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: clusterIssuerNames.acme, labels: args.labels },
        spec: pulumi.output(solver).apply((dns) => acmeIssuerSpec(args.email, args.server, args.http01Gateway, dns)),
      },
      { ...options, dependsOn: [this.release, ...solverResources] },
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

  /** The alidns webhook and its key pair Secret; Route 53 and Azure DNS need nothing beyond cert-manager's values. */
  private dns01Resources(
    name: string,
    dns01: CertManagerDns01,
    ns: Namespace,
    options: { parent: pulumi.Resource; provider: Provider },
    registryMirror: RegistryMirror | undefined,
  ): pulumi.Resource[] {
    const keyPair = dns01.access?.keyPair;
    if (dns01.config.provider !== "alidns" || !keyPair) return [];
    const secret = new Secret(
      `${name}-alidns-credentials`,
      {
        metadata: { name: alidnsCredentials.secretName, namespace: ns.metadata.name },
        type: "Opaque",
        stringData: {
          [alidnsCredentials.accessKeyIdKey]: keyPair.accessKeyId,
          [alidnsCredentials.accessKeySecretKey]: keyPair.accessKeySecret,
        },
      },
      options,
    );
    const webhook = new Release(
      `${name}-alidns-webhook`,
      {
        name: alidnsWebhook.releaseName,
        ...releaseChart(alidnsWebhook, registryMirror),
        version: alidnsWebhook.version,
        namespace: ns.metadata.name,
        atomic: true,
        values: mergeValues(alidnsWebhookValues(), alidnsWebhookMirrorValues(registryMirror)),
      },
      // Its chart creates a cert-manager Issuer and Certificate for its serving certificate: the CRDs come first.
      { ...options, dependsOn: [this.release] },
    );
    return [secret, webhook];
  }
}
