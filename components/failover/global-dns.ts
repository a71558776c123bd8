import * as pulumi from "@pulumi/pulumi";
import { HealthCheck } from "@pulumi/aws/route53/healthCheck";
import { getZoneOutput } from "@pulumi/aws/route53/getZone";
import { Record as Route53Record } from "@pulumi/aws/route53/record";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { Provider as AlicloudProvider } from "@pulumi/alicloud/provider";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup";
import { Profile } from "@pulumi/azure-native/trafficmanager/profile";
import { GtmInstance } from "@pulumi/alicloud/dns/gtmInstance";
import { AddressPool } from "@pulumi/alicloud/dns/addressPool";
import { MonitorConfig } from "@pulumi/alicloud/dns/monitorConfig";
import { AccessStrategy } from "@pulumi/alicloud/dns/accessStrategy";
import type { GlobalConfig } from "../../config/global";
import { defaultDnsRegion, failoverHosts, gtmIntervalSeconds, isIpv4, probeTimeoutSeconds, recordType, type FailoverHost, type ImEndpoint } from "./dns-plan";

export interface GlobalDnsArgs {
  /** The validated global stack config. @default - none, required */
  config: GlobalConfig;
}

type Role = "primary" | "secondary";

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

  constructor(name: string, args: GlobalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:failover:GlobalDns", name, {}, opts);
    const { config } = args;
    const sides = { primary: config.primary, secondary: config.secondary };
    const refs = {
      primary: new pulumi.StackReference(`${name}-primary`, { name: config.primary.stack }, { parent: this }),
      secondary: new pulumi.StackReference(`${name}-secondary`, { name: config.secondary.stack }, { parent: this }),
    };
    const address = (role: Role, endpoint: ImEndpoint): pulumi.Output<string> => {
      const fixed = config.dns.addresses[sides[role].cloud]?.[endpoint];
      if (fixed) return pulumi.output(fixed);
      const output = endpoint === "ingress" ? "imIngressAddress" : "imClientAddress";
      return refs[role].requireOutput(output).apply((v) => {
        if (typeof v !== "string" || v === "") throw new Error(`stack ${sides[role].stack} has no ${output} output yet; deploy it first or set 'warbler:dns.addresses.${sides[role].cloud}.${endpoint}'`);
        return v;
      });
    };
    const hosts = failoverHosts(config.domain, config.dns.zone);
    this.records = hosts.map((h) => ({ host: h.host, primary: address("primary", h.endpoint), secondary: address("secondary", h.endpoint) }));
    const plan = hosts.map((h, i) => ({ host: h, primary: this.records[i].primary, secondary: this.records[i].secondary }));
    switch (config.dns.provider) {
      case "route53":
        this.route53(name, config, plan, address);
        break;
      case "traffic-manager":
        this.trafficManager(name, config, plan);
        break;
      case "alidns-gtm":
        this.gtm(name, config, plan);
        break;
    }
    this.registerOutputs({ records: this.records });
  }

  private route53(name: string, config: GlobalConfig, plan: Plan[], address: (role: Role, endpoint: ImEndpoint) => pulumi.Output<string>): void {
    const provider = new AwsProvider(`${name}-aws`, { region: dnsRegion(config) }, { parent: this });
    const child = { parent: this, provider };
    const zone = getZoneOutput({ name: config.dns.zone, privateZone: false }, { parent: this, provider });
    const checks = Object.fromEntries(
      (["primary", "secondary"] as const).map((role) => {
        const target = address(role, "clients");
        const isIp = target.apply(isIpv4);
        return [
          role,
          new HealthCheck(
            `${name}-${role}-health`,
            {
              type: "TCP",
              port: config.dns.healthPort,
              ipAddress: pulumi.all([target, isIp]).apply(([t, ip]) => (ip ? t : undefined)) as pulumi.Output<string>,
              fqdn: pulumi.all([target, isIp]).apply(([t, ip]) => (ip ? undefined : t)) as pulumi.Output<string>,
              requestInterval: config.dns.intervalSeconds,
              failureThreshold: config.dns.failureThreshold,
              tags: { Name: `${config.name}-${role}-im`, owner: config.tags.owner, "data-classification": config.tags.dataClassification, "managed-by": "warbler" },
            },
            child,
          ),
        ];
      }),
    ) as Record<Role, HealthCheck>;
    for (const { host, primary, secondary } of plan) {
      const type = pulumi.all([primary, secondary]).apply(([p, s]) => recordType(host, p, s));
      for (const [role, value] of [["primary", primary], ["secondary", secondary]] as const) {
        new Route53Record(
          `${name}-${host.purpose}-${role}`,
          {
            zoneId: zone.zoneId,
            name: host.host,
            type,
            ttl: config.dns.ttl,
            records: [value],
            setIdentifier: `${config.name}-${host.purpose}-${role}`,
            failoverRoutingPolicies: [{ type: role === "primary" ? "PRIMARY" : "SECONDARY" }],
            healthCheckId: checks[role].id,
          },
          child,
        );
      }
    }
  }

  /**
   * One priority-routed profile per host name. Traffic Manager answers with
   * a CNAME to the healthy endpoint, so the zone needs CNAMEs from the host
   * names to the profiles' <name>.trafficmanager.net (docs/failover.md).
   */
  private trafficManager(name: string, config: GlobalConfig, plan: Plan[]): void {
    const provider = new AzureProvider(`${name}-azure`, { location: dnsRegion(config) }, { parent: this });
    const child = { parent: this, provider };
    const group = new ResourceGroup(`${name}-rg`, { location: dnsRegion(config), tags: this.tags(config) }, child);
    for (const { host, primary, secondary } of plan) {
      new Profile(
        `${name}-${host.purpose}`,
        {
          resourceGroupName: group.name,
          location: "global",
          profileStatus: "Enabled",
          trafficRoutingMethod: "Priority",
          dnsConfig: { relativeName: `${config.name}-${host.purpose}-${config.domain.replace(/\./g, "-")}`.slice(0, 63), ttl: config.dns.ttl },
          monitorConfig: {
            protocol: "TCP",
            port: config.dns.healthPort,
            intervalInSeconds: config.dns.intervalSeconds,
            timeoutInSeconds: probeTimeoutSeconds("traffic-manager", config.dns.intervalSeconds),
            toleratedNumberOfFailures: config.dns.failureThreshold - 1,
          },
          endpoints: [
            { name: "primary", type: "Microsoft.Network/trafficManagerProfiles/externalEndpoints", target: primary, priority: 1, endpointStatus: "Enabled", alwaysServe: "Disabled" },
            { name: "secondary", type: "Microsoft.Network/trafficManagerProfiles/externalEndpoints", target: secondary, priority: 2, endpointStatus: "Enabled", alwaysServe: "Disabled" },
          ],
          tags: this.tags(config),
        },
        child,
      );
    }
  }

  /**
   * Alibaba Cloud DNS GTM, for users in mainland China: one instance per
   * host name, an address pool per side with a TCP monitor, and an access
   * strategy that answers with the primary pool and fails over to the other.
   */
  private gtm(name: string, config: GlobalConfig, plan: Plan[]): void {
    const provider = new AlicloudProvider(`${name}-alicloud`, { region: dnsRegion(config) }, { parent: this });
    const child = { parent: this, provider };
    for (const { host, primary, secondary } of plan) {
      const instance = new GtmInstance(
        `${name}-${host.purpose}-gtm`,
        {
          instanceName: `${config.name}-${host.purpose}`,
          packageEdition: "ultimate",
          paymentType: "Subscription",
          period: 1,
          renewalStatus: "AutoRenewal",
          healthCheckTaskCount: 100,
          smsNotificationCount: 1000,
          publicCnameMode: "SYSTEM_ASSIGN",
          publicUserDomainName: config.dns.zone,
          publicRr: host.label === "" ? "@" : host.label,
          ttl: config.dns.ttl,
          strategyMode: "GEO",
          ...(config.dns.gtmAlertGroups.length > 0 ? { alertGroups: config.dns.gtmAlertGroups } : {}),
          cnameType: "PUBLIC",
        },
        child,
      );
      const pools = Object.fromEntries(
        ([["primary", primary], ["secondary", secondary]] as const).map(([role, value]) => {
          const isIp = value.apply(isIpv4);
          const pool = new AddressPool(
            `${name}-${host.purpose}-${role}`,
            {
              instanceId: instance.id,
              addressPoolName: `${host.purpose}-${role}`,
              type: isIp.apply((ip) => (ip ? "IPV4" : "DOMAIN")),
              lbaStrategy: "ALL_RR",
              addresses: [{ address: value, attributeInfo: JSON.stringify({ lineCodes: ["default"] }), mode: "SMART", remark: role }],
            },
            child,
          );
          new MonitorConfig(
            `${name}-${host.purpose}-${role}-monitor`,
            {
              addrPoolId: pool.id,
              protocolType: "TCP",
              interval: gtmIntervalSeconds(config.dns.intervalSeconds),
              evaluationCount: Math.min(config.dns.failureThreshold, 3),
              timeout: probeTimeoutSeconds("alidns-gtm", config.dns.intervalSeconds) * 1000,
              monitorExtendInfo: JSON.stringify({ port: config.dns.healthPort, failureRate: 50 }),
              ispCityNodes: [{ cityCode: "503", ispCode: "465" }, { cityCode: "357", ispCode: "465" }],
            },
            child,
          );
          return [role, pool];
        }),
      ) as Record<Role, AddressPool>;
      new AccessStrategy(
        `${name}-${host.purpose}-strategy`,
        {
          instanceId: instance.id,
          strategyName: `${host.purpose}-failover`,
          strategyMode: "GEO",
          lines: [{ lineCode: "default" }],
          accessMode: "AUTO",
          defaultAddrPoolType: primary.apply((v) => (isIpv4(v) ? "IPV4" : "DOMAIN")),
          defaultAddrPools: [{ addrPoolId: pools.primary.id, lbaWeight: 1 }],
          defaultMinAvailableAddrNum: 1,
          failoverAddrPoolType: secondary.apply((v) => (isIpv4(v) ? "IPV4" : "DOMAIN")),
          failoverAddrPools: [{ addrPoolId: pools.secondary.id, lbaWeight: 1 }],
          failoverMinAvailableAddrNum: 1,
        },
        child,
      );
    }
  }

  private tags(config: GlobalConfig): Record<string, string> {
    return {
      owner: config.tags.owner,
      "data-classification": config.tags.dataClassification,
      "managed-by": "warbler",
      ...(config.tags.costCenter ? { "cost-center": config.tags.costCenter } : {}),
    };
  }
}

/** The region of the DNS provider's API calls: `dns.region`, or the provider's default. */
function dnsRegion(config: GlobalConfig): string {
  return config.dns.region ?? defaultDnsRegion[config.dns.provider];
}

interface Plan {
  host: FailoverHost;
  primary: pulumi.Output<string>;
  secondary: pulumi.Output<string>;
}
