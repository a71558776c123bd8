import { z } from "zod";
import { acmeDnsProviderCloud, acmeDnsProviders, type Cloud, clouds } from "./clouds";
import { email, hostname } from "./fields";

/** Route 53 hosted zone ids: "Z" and upper-case letters and digits (Z0123456789ABCDEFGHIJ). */
const HOSTED_ZONE_ID_RE = /^Z[A-Z0-9]{1,31}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Azure resource group names: 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'. */
const RESOURCE_GROUP_RE = /^[\w.()-]{0,89}[\w()-]$/;

/** Which `dns01` keys each provider needs; a key of another provider is refused, so a copied block cannot mislead. */
export const dns01ProviderKeys = {
  route53: ["hostedZoneId"],
  "azure-dns": ["subscriptionId", "resourceGroup"],
  alidns: [],
} as const satisfies Record<(typeof acmeDnsProviders)[number], readonly string[]>;

const providerKeys = ["hostedZoneId", "subscriptionId", "resourceGroup"] as const;

const dns01 = z
  .strictObject({
    provider: z
      .enum(acmeDnsProviders)
      .describe(
        "DNS service that hosts the zone: route53 on aws, azure-dns on azure, alidns on alicloud (the stack's own " +
          "cloud, whose workload identity or RAM user writes the challenge records).",
      ),
    zone: hostname.describe("The DNS zone that holds the IM domain: the domain itself or a parent of it."),
    hostedZoneId: z
      .string()
      .regex(HOSTED_ZONE_ID_RE, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
      .optional()
      .describe("route53 only: id of the public hosted zone; cert-manager's role may change only this zone."),
    subscriptionId: z
      .string()
      .regex(UUID_RE, "must be an Azure subscription id (a lowercase UUID)")
      .optional()
      .describe("azure-dns only: subscription of the DNS zone."),
    resourceGroup: z
      .string()
      .regex(RESOURCE_GROUP_RE, "must be an Azure resource group name (1-90 letters, digits, '_', '-', '.', '(', ')')")
      .optional()
      .describe("azure-dns only: resource group of the DNS zone; cert-manager gets DNS Zone Contributor on the zone."),
  })
  .superRefine((value, ctx) => {
    const wanted: readonly string[] = dns01ProviderKeys[value.provider];
    for (const key of providerKeys) {
      if (wanted.includes(key) && value[key] === undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: `is required when provider is ${value.provider}` });
      }
      if (!wanted.includes(key) && value[key] !== undefined) {
        const owners = acmeDnsProviders.filter((p) => (dns01ProviderKeys[p] as readonly string[]).includes(key));
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `is for provider ${owners.join(", ")} only, not ${value.provider}; remove it`,
        });
      }
    }
  });

/** `warbler:acme`: the ACME account and how its challenges are solved. */
export const acmeSchema = z
  .strictObject({
    email: email.describe("Contact for the ACME (Let's Encrypt) account that issues the TLS certificates."),
    server: z
      .enum(["production", "staging"])
      .default("production")
      .describe("ACME directory: staging issues untrusted certificates without rate limits."),
    dns01: dns01
      .optional()
      .describe(
        "Solve challenges with DNS-01 records in this zone, so a standby issues before DNS points at it. Unset: " +
          "HTTP-01 through the ingress, which issues only while the domain resolves to this stack.",
      ),
  })
  .describe("TLS certificates from an ACME issuer through cert-manager.");

export type AcmeConfig = z.output<typeof acmeSchema>;
export type Dns01Config = NonNullable<AcmeConfig["dns01"]>;

/** What the cross-field rules read; any part may be missing when other keys failed. */
interface PartialAcmeView {
  cloud?: unknown;
  domain?: unknown;
  acme?: { dns01?: { provider?: unknown; zone?: unknown } };
}

/**
 * The DNS-01 rules that need other keys: the zone must hold the domain, and the provider must be the stack's own
 * cloud's. A zone in another cloud would need that cloud's credentials inside this cluster (an IAM OIDC provider
 * trusting this cluster's issuer, or a federated credential on a foreign identity), which no kit builds.
 */
export function acmeIssues(config: PartialAcmeView): { path: string[]; message: string }[] {
  const dns = config.acme?.dns01;
  if (!dns) return [];
  const issues: { path: string[]; message: string }[] = [];
  const { zone, provider } = dns;
  const domain = config.domain;
  if (typeof zone === "string" && typeof domain === "string" && domain !== zone && !domain.endsWith(`.${zone}`)) {
    issues.push({
      path: ["acme", "dns01", "zone"],
      message: `must be '${domain}' or a parent of it: the challenge records are _acme-challenge names under it`,
    });
  }
  const cloud = config.cloud;
  if (
    typeof provider === "string" &&
    Object.hasOwn(acmeDnsProviderCloud, provider) &&
    typeof cloud === "string" &&
    (clouds as readonly string[]).includes(cloud)
  ) {
    const home: Cloud = acmeDnsProviderCloud[provider as keyof typeof acmeDnsProviderCloud];
    if (home !== cloud) {
      const own = acmeDnsProviders.find((p) => acmeDnsProviderCloud[p] === cloud);
      issues.push({
        path: ["acme", "dns01", "provider"],
        message:
          `must be ${own} on an ${cloud} stack: ${provider} zones are written with ${home} credentials, which a ` +
          `${cloud} cluster does not hold, and no kit builds cross-cloud DNS credentials. Host the zone in ${cloud}, ` +
          "or leave dns01 unset (HTTP-01) until DNS points at this stack (docs/im.md, Certificates)",
      });
    }
  }
  return issues;
}
