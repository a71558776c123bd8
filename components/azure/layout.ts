import { ArgumentChecks } from "../../lib/check";
import { formatCidr, parseCidr, planGatewaySubnet, planZoneSubnets, subnet, type ZoneSubnets } from "../../lib/cidr";

/**
 * The Azure address plan. Azure subnets are regional, not zonal, but the kit
 * keeps the shared per-zone layout (planZoneSubnets) so a peer cloud and the
 * cross-cloud link see the same ranges on every cloud: each zone block of each
 * tier becomes one subnet. Zonal resources (NAT gateways) attach to the block
 * of their zone; zone-spanning ones (AKS pools, the database) sit in a block
 * and spread over zones by their own `availabilityZones` setting.
 */
export interface AzureNetworkPlan {
  zones: ZoneSubnets[];
  /**
   * Subnet for API Server VNet Integration, which a private Key Vault for KMS
   * requires: the first /28 of the private half's fourth block, which no zone uses.
   */
  apiServer: string;
  /** Kept free for the failover link's GatewaySubnet. */
  gateway: string;
}

export function planAzureNetwork(networkCidr: string, zones: number): AzureNetworkPlan {
  const zoneSubnets = planZoneSubnets(networkCidr, zones);
  const check = new ArgumentChecks();
  check.require(parseCidr(networkCidr) !== undefined, "networkCidr", networkCidr, "must be an IPv4 CIDR");
  check.throwIfAny(RangeError);
  const parent = parseCidr(networkCidr)!;
  const half = subnet(parent, parent.prefix + 1, 0);
  const spare = subnet(half, half.prefix + 2, 3);
  return { zones: zoneSubnets, apiServer: formatCidr(subnet(spare, 28, 0)), gateway: planGatewaySubnet(networkCidr) };
}
