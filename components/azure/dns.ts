import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup";
import { Profile } from "@pulumi/azure-native/trafficmanager/profile";
import type { DnsFailoverProvider } from "../failover/dns-provider";

/**
 * One priority-routed Traffic Manager profile per host name. Traffic Manager
 * answers with a CNAME to the healthy endpoint, so the zone needs CNAMEs from
 * the host names to the profiles' <name>.trafficmanager.net (docs/failover.md).
 */
const create: DnsFailoverProvider["create"] = (parent, { name, config, pairs, region, tags }) => {
  const provider = new AzureProvider(`${name}-azure`, { location: region }, { parent });
  const child = { parent, provider };
  const group = new ResourceGroup(`${name}-rg`, { location: region, tags }, child);
  for (const { host, primary, secondary } of pairs) {
    new Profile(
      `${name}-${host.purpose}`,
      {
        resourceGroupName: group.name,
        location: "global",
        profileStatus: "Enabled",
        trafficRoutingMethod: "Priority",
        dnsConfig: {
          relativeName: `${config.name}-${host.purpose}-${config.domain.replace(/\./g, "-")}`.slice(0, 63),
          ttl: config.dns.ttl,
        },
        monitorConfig: {
          protocol: "TCP",
          port: config.dns.healthPort,
          intervalInSeconds: config.dns.intervalSeconds,
          timeoutInSeconds: trafficManagerFailover.probeTimeoutSeconds(config.dns.intervalSeconds),
          toleratedNumberOfFailures: config.dns.failureThreshold - 1,
        },
        endpoints: [
          {
            name: "primary",
            type: "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
            target: primary,
            priority: 1,
            endpointStatus: "Enabled",
            alwaysServe: "Disabled",
          },
          {
            name: "secondary",
            type: "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
            target: secondary,
            priority: 2,
            endpointStatus: "Enabled",
            alwaysServe: "Disabled",
          },
        ],
        tags,
      },
      child,
    );
  }
};

/**
 * Traffic Manager: profiles are global, but their resource group needs a location (westeurope unless `dns.region`
 * says otherwise); probes run at the configured interval, timing out after 5 s at a 10 s interval and 10 s otherwise.
 */
export const trafficManagerFailover: DnsFailoverProvider = {
  defaultRegion: "westeurope",
  effectiveIntervalSeconds: (intervalSeconds) => intervalSeconds,
  probeTimeoutSeconds: (intervalSeconds) => (intervalSeconds === 10 ? 5 : 10),
  create,
};
