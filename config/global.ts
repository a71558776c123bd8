import { z } from "zod";
import { clouds, dnsProviderCloud, dnsProviders } from "./clouds";

export { type DnsProvider, dnsProviderCloud } from "./clouds";

import { hostname, shortName } from "./fields";
import { regions } from "./regions";

const side = z.strictObject({
  cloud: z.enum(clouds).describe("The cloud of this side."),
  stack: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/, "must be a stack name such as aws or org/warbler/aws")
    .describe("Its platform stack, read through a StackReference (outputs imIngressAddress, imClientAddress)."),
});

/**
 * Every `warbler:*` key of the global stack: health-checked DNS failover
 * records for the IM host names across the two platform stacks of a pair.
 */
export const globalShape = {
  kind: z.literal("global").describe("Stack kind: the global DNS failover stack."),
  name: shortName(10).default("warbler").describe("Short name that prefixes every resource name."),
  domain: hostname.describe(
    "The IM domain; the records are <domain> (WebSocket), upload.<domain> and xmpp.<domain> (XMPP clients).",
  ),
  tags: z
    .strictObject({
      owner: z.string().min(1).max(64).describe("Team or person accountable for the stack."),
      dataClassification: z
        .enum(["public", "internal", "confidential", "restricted"])
        .describe("Classification of the data the platform holds."),
      costCenter: z.string().min(1).max(64).optional().describe("Optional cost centre."),
    })
    .describe("Tags put on every resource that takes them."),
  primary: side.describe("The side DNS sends users to while it is healthy."),
  secondary: side.describe("The side DNS sends users to when the primary's health check fails."),
  dns: z
    .strictObject({
      provider: z
        .enum(dnsProviders)
        .default("route53")
        .describe("Route 53 (default), Azure Traffic Manager, or Alibaba Cloud DNS GTM (for users in mainland China)."),
      zone: hostname.describe("The DNS zone that holds the records (for Route 53, the hosted zone's name)."),
      region: z
        .string()
        .optional()
        .describe(
          "Region of the DNS provider's API calls; unset means us-east-1 for route53, westeurope for " +
            "traffic-manager, cn-hangzhou for alidns-gtm.",
        ),
      intervalSeconds: z
        .union([z.literal(10), z.literal(30)])
        .default(10)
        .describe("Seconds between health checks; 10 and 30 are what Route 53 and Traffic Manager both offer."),
      failureThreshold: z
        .number()
        .int()
        .min(1)
        .max(10)
        .default(3)
        .describe("Consecutive failed checks before an endpoint counts as down."),
      ttl: z
        .number()
        .int()
        .min(10)
        .max(3600)
        .default(30)
        .describe("TTL of the failover records, in seconds: how long resolvers keep the old answer."),
      healthPort: z
        .number()
        .int()
        .min(1)
        .max(65535)
        .default(5222)
        .describe("TCP port probed on each side's XMPP client load balancer; a fenced side stops answering there."),
      addresses: z
        .partialRecord(
          z.enum(clouds),
          z.strictObject({ ingress: z.string().optional(), clients: z.string().optional() }),
        )
        .default({})
        .describe(
          "Fixed public addresses that replace a side's stack outputs, such as Elastic IPs of an AWS NLB (see " +
            "docs/failover.md).",
        ),
      gtmAlertGroups: z
        .array(z.string().min(1))
        .default([])
        .describe(
          "alidns-gtm only: existing CloudMonitor contact groups that receive GTM health alerts; empty sends none.",
        ),
    })
    .describe("Health-checked DNS failover."),
};

export const globalSchema = z.strictObject(globalShape).superRefine(
  (value, ctx) => {
    const config = value as Partial<typeof value>;
    if (config.primary?.cloud && config.primary.cloud === config.secondary?.cloud) {
      ctx.addIssue({
        code: "custom",
        path: ["secondary", "cloud"],
        message: `must differ from 'primary.cloud' (${config.primary.cloud})`,
      });
    }
    const provider = config.dns?.provider;
    // A provider that failed its own check names no cloud whose regions could be checked.
    if (provider && Object.hasOwn(dnsProviderCloud, provider) && typeof config.dns?.region === "string") {
      const cloud = dnsProviderCloud[provider];
      if (!regions[cloud].includes(config.dns.region)) {
        ctx.addIssue({
          code: "custom",
          path: ["dns", "region"],
          message: `is not a region of ${cloud}, where ${provider} is managed; use one of ${regions[cloud].join(", ")}`,
        });
      }
    }
    const zone = config.dns?.zone;
    if (zone && typeof config.domain === "string" && config.domain !== zone && !config.domain.endsWith(`.${zone}`)) {
      ctx.addIssue({
        code: "custom",
        path: ["dns", "zone"],
        message: `must be '${config.domain}' or a parent of it, so the zone can hold the IM records`,
      });
    }
  },
  { when: () => true },
);

export type GlobalConfig = z.output<typeof globalSchema>;
