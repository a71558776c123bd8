import type { Dns01Config } from "../../config/acme";
import { certManagerWorkload } from "../contract";

/**
 * The ACME DNS-01 solvers of the ClusterIssuer, in cert-manager v1's shapes (ACMEChallengeSolverDNS01 at the
 * pinned chart, versions.ts), and the alidns webhook that Alibaba Cloud DNS needs. Pure: tests read them directly.
 */

/**
 * The alidns webhook for cert-manager: github.com/wjiec/alidns-webhook, MIT, Helm repository published by its
 * helm.yml workflow. Pinned: upgrading it is a reviewed change to this table. The image wjiec/alidns-webhook is pinned
 * to the same version through `image.tag` (alidnsWebhookValues).
 */
export const alidnsWebhook = {
  chart: "alidns-webhook",
  version: "1.0.1",
  repo: "https://wjiec.github.io/alidns-webhook",
  /** The API group the webhook serves and the issuer names; cluster-internal, so any name of ours. */
  groupName: "alidns.acme.warbler.internal",
  /** What the webhook's AliSolver.Name() returns. */
  solverName: "alidns",
  /** The webhook's release name and ServiceAccount (the chart's fullname when release and chart share it). */
  releaseName: "alidns-webhook",
  /** Pod label its Deployment selects on (chart _helpers, selectorLabels). */
  podLabels: { "app.kubernetes.io/name": "alidns-webhook" },
  /** cert-manager's webhook library serves the APIService on 443 unless told otherwise; the chart sets no port. */
  port: 443,
} as const;

/** The Secret, in cert-manager's namespace, holding the alidns key pair (a ClusterIssuer's secrets live there). */
export const alidnsCredentials = {
  secretName: "alidns-dns01-credentials",
  accessKeyIdKey: "access-key-id",
  accessKeySecretKey: "access-key-secret",
} as const;

/** Values that only the deployed cloud resources know. */
export interface Dns01Facts {
  /** The stack's region: Route 53's API is global, but the SDK signs STS calls for a region. */
  region: string;
  /** Client id of the Azure user-assigned identity cert-manager uses. */
  clientId?: string;
}

/**
 * One ACME solver for `dns01`: a selector limiting it to the zone, and the provider's stanza.
 * Route 53 and Azure DNS take ambient credentials (IRSA, Azure workload identity), which cert-manager allows for
 * ClusterIssuers by default; alidns reads a key pair from a Secret, as its webhook has no ambient credentials.
 */
export function dns01Solver(dns: Dns01Config, facts: Dns01Facts): Record<string, unknown> {
  const selector = { dnsZones: [dns.zone] };
  switch (dns.provider) {
    case "route53":
      return {
        selector,
        dns01: { route53: { region: facts.region, hostedZoneID: required(dns.hostedZoneId, "hostedZoneId") } },
      };
    case "azure-dns":
      return {
        selector,
        dns01: {
          azureDNS: {
            subscriptionID: required(dns.subscriptionId, "subscriptionId"),
            resourceGroupName: required(dns.resourceGroup, "resourceGroup"),
            hostedZoneName: dns.zone,
            environment: "AzurePublicCloud",
            // Names the identity even if the webhook's injected AZURE_CLIENT_ID is missing or another.
            managedIdentity: { clientID: required(facts.clientId, "clientId (the kit's DNS-01 identity)") },
          },
        },
      };
    case "alidns":
      return {
        selector,
        dns01: {
          webhook: {
            groupName: alidnsWebhook.groupName,
            solverName: alidnsWebhook.solverName,
            config: {
              accessKeyIdRef: { name: alidnsCredentials.secretName, key: alidnsCredentials.accessKeyIdKey },
              accessKeySecretRef: { name: alidnsCredentials.secretName, key: alidnsCredentials.accessKeySecretKey },
            },
          },
        },
      };
  }
}

function required(value: string | undefined, key: string): string {
  if (value === undefined) throw new Error(`dns01Solver: '${key}' is required for this provider (validated config)`);
  return value;
}

/**
 * Helm values of the alidns webhook: the group cert-manager calls, cert-manager's ServiceAccount that may call it,
 * and a pod that passes Pod Security "restricted" (the chart's own defaults are empty). The image is Alpine with
 * no USER, so a non-root uid is set here; it binds 443 through the unprivileged-port sysctl, which "baseline" and
 * "restricted" allow, instead of NET_BIND_SERVICE, which a non-root process without file capabilities cannot use.
 */
export function alidnsWebhookValues(): Record<string, unknown> {
  return {
    groupName: alidnsWebhook.groupName,
    fullnameOverride: alidnsWebhook.releaseName,
    certManager: { namespace: certManagerWorkload.namespace, serviceAccountName: certManagerWorkload.serviceAccount },
    // Named here: one published values.yaml of the chart has `image.tag: latest`, rendered as is.
    image: { tag: alidnsWebhook.version },
    replicaCount: 2,
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      seccompProfile: { type: "RuntimeDefault" },
      sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "128Mi" } },
  };
}
