import { AccessStrategy } from "@pulumi/alicloud/dns/accessStrategy";
import { AddressPool } from "@pulumi/alicloud/dns/addressPool";
import { GtmInstance } from "@pulumi/alicloud/dns/gtmInstance";
import { MonitorConfig } from "@pulumi/alicloud/dns/monitorConfig";
import { Provider as AlicloudProvider } from "@pulumi/alicloud/provider";
import { isIpv4 } from "../failover/dns-plan";
import type { DnsFailoverProvider, DnsRole } from "../failover/dns-provider";

/**
 * Alibaba Cloud DNS GTM, for users in mainland China: one instance per
 * host name, an address pool per side with a TCP monitor, and an access
 * strategy that answers with the primary pool and fails over to the other.
 */
const create: DnsFailoverProvider["create"] = (parent, { name, config, pairs, region }) => {
  const provider = new AlicloudProvider(`${name}-alicloud`, { region }, { parent });
  const child = { parent, provider };
  for (const { host, primary, secondary } of pairs) {
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
      (
        [
          ["primary", primary],
          ["secondary", secondary],
        ] as const
      ).map(([role, value]) => {
        const isIp = value.apply(isIpv4);
        const pool = new AddressPool(
          `${name}-${host.purpose}-${role}`,
          {
            instanceId: instance.id,
            addressPoolName: `${host.purpose}-${role}`,
            type: isIp.apply((ip) => (ip ? "IPV4" : "DOMAIN")),
            lbaStrategy: "ALL_RR",
            addresses: [
              {
                address: value,
                attributeInfo: JSON.stringify({ lineCodes: ["default"] }),
                mode: "SMART",
                remark: role,
              },
            ],
          },
          child,
        );
        new MonitorConfig(
          `${name}-${host.purpose}-${role}-monitor`,
          {
            addrPoolId: pool.id,
            protocolType: "TCP",
            interval: gtmFailover.effectiveIntervalSeconds(config.dns.intervalSeconds),
            evaluationCount: Math.min(config.dns.failureThreshold, 3),
            timeout: gtmFailover.probeTimeoutSeconds(config.dns.intervalSeconds) * 1000,
            monitorExtendInfo: JSON.stringify({ port: config.dns.healthPort, failureRate: 50 }),
            ispCityNodes: [
              { cityCode: "503", ispCode: "465" },
              { cityCode: "357", ispCode: "465" },
            ],
          },
          child,
        );
        return [role, pool];
      }),
    ) as Record<DnsRole, AddressPool>;
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
};

/**
 * Alibaba Cloud DNS GTM, managed from cn-hangzhou: it probes at most once a minute on the editions Warbler targets
 * (shorter intervals are raised to it), with a 5 s probe timeout.
 */
export const gtmFailover: DnsFailoverProvider = {
  defaultRegion: "cn-hangzhou",
  effectiveIntervalSeconds: (intervalSeconds) => Math.max(60, intervalSeconds),
  probeTimeoutSeconds: () => 5,
  create,
};
