import { getHostedZoneIdOutput } from "@pulumi/aws/lb/getHostedZoneId";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { getZoneOutput } from "@pulumi/aws/route53/getZone";
import { HealthCheck } from "@pulumi/aws/route53/healthCheck";
import { Record as Route53Record } from "@pulumi/aws/route53/record";
import * as pulumi from "@pulumi/pulumi";
import { isIpv4, recordType } from "../failover/dns-plan";
import type { DnsFailoverProvider, DnsRole } from "../failover/dns-provider";

/** An AWS load balancer's DNS name (`<name>-<id>.elb.<region>.amazonaws.com`); the region is the first group. */
const ELB_HOST_NAME = /^[a-z0-9-]+\.elb\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/;

/** The region of an AWS Network Load Balancer's DNS name, or undefined for any other name or address. */
export function elbRegion(address: string): string | undefined {
  return ELB_HOST_NAME.exec(address)?.[1];
}

/**
 * What one side's record answers with: an alias to an NLB, whose addresses Route 53 returns as an A record (at the
 * zone apex too, where a CNAME is not allowed), or the address or name itself
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html).
 * An alias takes no TTL: Route 53 uses the load balancer's.
 */
export function recordTarget(
  value: string,
  ttl: number,
): { alias: { name: string; region: string } } | { records: string[]; ttl: number } {
  const region = elbRegion(value);
  return region ? { alias: { name: value, region } } : { records: [value], ttl };
}

/**
 * Route 53 failover routing: a TCP health check per side, and per host name
 * a PRIMARY and a SECONDARY record in the hosted zone, each tied to its side's check.
 * A side whose address is an AWS load balancer's name gets an alias A record, so
 * it pairs with a side that exports an IP, and can sit at the zone apex.
 */
const create: DnsFailoverProvider["create"] = (parent, { name, config, pairs, address, region }) => {
  const provider = new AwsProvider(`${name}-aws`, { region }, { parent });
  const child = { parent, provider };
  const zone = getZoneOutput({ name: config.dns.zone, privateZone: false }, child);
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
            tags: {
              Name: `${config.name}-${role}-im`,
              owner: config.tags.owner,
              "data-classification": config.tags.dataClassification,
              "managed-by": "warbler",
            },
          },
          child,
        ),
      ];
    }),
  ) as Record<DnsRole, HealthCheck>;
  // One lookup per region, however many records alias load balancers there.
  const elbZoneIds = new Map<string, pulumi.Output<string>>();
  const elbZoneId = (region: string) => {
    const known = elbZoneIds.get(region);
    if (known) return known;
    const id = getHostedZoneIdOutput({ region, loadBalancerType: "network" }, child).id;
    elbZoneIds.set(region, id);
    return id;
  };
  for (const { host, primary, secondary } of pairs) {
    const type = pulumi
      .all([primary, secondary])
      .apply(([p, s]) => recordType(host, p, s, (name) => elbRegion(name) !== undefined));
    for (const [role, value] of [
      ["primary", primary],
      ["secondary", secondary],
    ] as const) {
      const target = value.apply((v) => recordTarget(v, config.dns.ttl));
      const alias = target.apply((t) => ("alias" in t ? t.alias : undefined));
      new Route53Record(
        `${name}-${host.purpose}-${role}`,
        {
          zoneId: zone.zoneId,
          name: host.host,
          type,
          ttl: target.apply((t) => ("ttl" in t ? t.ttl : undefined)),
          records: target.apply((t) => ("records" in t ? t.records : undefined)),
          aliases: alias.apply((a) =>
            a
              ? [
                  {
                    name: a.name,
                    zoneId: elbZoneId(a.region),
                    // The NLB answers unhealthy when none of its targets is; the TCP check below decides as well.
                    evaluateTargetHealth: true,
                  },
                ]
              : undefined,
          ),
          setIdentifier: `${config.name}-${host.purpose}-${role}`,
          failoverRoutingPolicies: [{ type: role === "primary" ? "PRIMARY" : "SECONDARY" }],
          healthCheckId: checks[role].id,
        },
        child,
      );
    }
  }
};

/**
 * Route 53: its API lives in us-east-1; a health check probes at the configured interval, with a fixed 10 s TCP
 * connect timeout.
 */
export const route53Failover: DnsFailoverProvider = {
  defaultRegion: "us-east-1",
  effectiveIntervalSeconds: (intervalSeconds) => intervalSeconds,
  probeTimeoutSeconds: () => 10,
  create,
};
