import { GlobalDns } from "../components/failover/global-dns";
import { Platform } from "../components/platform";
import type { WarblerConfig } from "../config/kinds";

/**
 * The whole program, as one function: `stacks/index.ts` calls it under the
 * Pulumi engine and `warbler plan` calls it under mocks, so both run the same
 * code. Returns the stack outputs.
 */
export function buildStack(config: WarblerConfig, stack: string): Record<string, unknown> {
  switch (config.kind) {
    case "platform": {
      const platform = new Platform(config.name, { config, stack });
      const o = platform.outputs;
      return {
        cloud: o.cloud,
        region: o.region,
        domain: config.domain,
        networkCidr: o.network.cidr,
        networkId: o.network.id,
        keyId: o.key.id,
        clusterName: o.cluster.name,
        kubeconfig: o.cluster.kubeconfig,
        databaseHost: o.database.host,
        bucketName: o.bucket.name,
        bucketEndpoint: o.bucket.endpoint,
        // The global DNS stack points <domain>, upload.<domain> and turn.<domain> at these.
        imIngressAddress: platform.imEndpoints.ingress,
        imClientAddress: platform.imEndpoints.clients,
        imTurnAddress: platform.imEndpoints.turn,
        imAdminPasswords: platform.imAdminPasswords,
        ...platform.failoverOutputs,
      };
    }
    case "global": {
      const dns = new GlobalDns(config.name, { config });
      return {
        dnsProvider: config.dns.provider,
        failoverRecords: dns.records,
        worstCaseDetection: dns.worstCaseDetection,
      };
    }
  }
}
