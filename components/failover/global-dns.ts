import * as pulumi from "@pulumi/pulumi";
import { dnsProviderCloud, type GlobalConfig } from "../../config/global";
import { kitFor } from "../kits";
import { dnsRegion, failoverHosts, type ImEndpoint, worstCaseDetectionSeconds } from "./dns-plan";
import type { DnsRole } from "./dns-provider";

export interface GlobalDnsArgs {
  /** The validated global stack config. @default - none, required */
  config: GlobalConfig;
}

/**
 * Health-checked DNS failover for the IM host names across two platform
 * stacks. Each side's public addresses come from its stack's outputs
 * (StackReference), or from `dns.addresses`. A side's health is a TCP probe
 * of its XMPP client load balancer: `warbler failover` fences a side by
 * scaling ejabberd to zero, the probe fails and DNS moves users.
 */
export class GlobalDns extends pulumi.ComponentResource {
  /** Every failover host name with the address each side serves it from. */
  readonly records: { host: string; primary: pulumi.Output<string>; secondary: pulumi.Output<string> }[];
  /** How long users can be sent to a dead side at worst, from the config and the provider's facts. */
  readonly worstCaseDetection: { detectSeconds: number; totalSeconds: number };

  constructor(name: string, args: GlobalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:failover:GlobalDns", name, {}, opts);
    const { config } = args;
    const sides = { primary: config.primary, secondary: config.secondary };
    const refs = {
      primary: new pulumi.StackReference(`${name}-primary`, { name: config.primary.stack }, { parent: this }),
      secondary: new pulumi.StackReference(`${name}-secondary`, { name: config.secondary.stack }, { parent: this }),
    };
    const address = (role: DnsRole, endpoint: ImEndpoint): pulumi.Output<string> => {
      const fixed = config.dns.addresses[sides[role].cloud]?.[endpoint];
      if (fixed) return pulumi.output(fixed);
      const output = endpoint === "ingress" ? "imIngressAddress" : "imClientAddress";
      return refs[role].requireOutput(output).apply((v) => {
        if (typeof v !== "string" || v === "")
          throw new Error(
            `stack ${sides[role].stack} has no ${output} output yet; ` +
              `deploy it first or set 'warbler:dns.addresses.${sides[role].cloud}.${endpoint}'`,
          );
        return v;
      });
    };
    const hosts = failoverHosts(config.domain, config.dns.zone);
    this.records = hosts.map((h) => ({
      host: h.host,
      primary: address("primary", h.endpoint),
      secondary: address("secondary", h.endpoint),
    }));
    const pairs = hosts.map((h, i) => ({
      host: h,
      primary: this.records[i].primary,
      secondary: this.records[i].secondary,
    }));
    const dnsFailover = kitFor(dnsProviderCloud[config.dns.provider]).dnsFailover;
    this.worstCaseDetection = worstCaseDetectionSeconds(config.dns, dnsFailover);
    dnsFailover.create(this, {
      name,
      config,
      pairs,
      address,
      region: dnsRegion(config.dns.region, dnsFailover),
      tags: globalTags(config),
    });
    this.registerOutputs({ records: this.records });
  }
}

/** The tags every taggable resource of the global stack carries. */
function globalTags(config: GlobalConfig): Record<string, string> {
  return {
    owner: config.tags.owner,
    "data-classification": config.tags.dataClassification,
    "managed-by": "warbler",
    ...(config.tags.costCenter ? { "cost-center": config.tags.costCenter } : {}),
  };
}
