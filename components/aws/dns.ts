import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { getZoneOutput } from "@pulumi/aws/route53/getZone";
import { HealthCheck } from "@pulumi/aws/route53/healthCheck";
import { Record as Route53Record } from "@pulumi/aws/route53/record";
import * as pulumi from "@pulumi/pulumi";
import { isIpv4, recordType } from "../failover/dns-plan";
import type { DnsFailoverProvider, DnsRole } from "../failover/dns-provider";

/**
 * Route 53 failover routing: a TCP health check per side, and per host name
 * a PRIMARY and a SECONDARY record in the hosted zone, each tied to its side's check.
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
  for (const { host, primary, secondary } of pairs) {
    const type = pulumi.all([primary, secondary]).apply(([p, s]) => recordType(host, p, s));
    for (const [role, value] of [
      ["primary", primary],
      ["secondary", secondary],
    ] as const) {
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
