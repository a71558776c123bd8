import { LocalNetworkGateway } from "@pulumi/azure-native/network/localNetworkGateway";
import { PublicIPAddress } from "@pulumi/azure-native/network/publicIPAddress";
import { Subnet } from "@pulumi/azure-native/network/subnet";
import { VirtualNetworkGateway } from "@pulumi/azure-native/network/virtualNetworkGateway";
import { VirtualNetworkGatewayConnection } from "@pulumi/azure-native/network/virtualNetworkGatewayConnection";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import { planGatewaySubnet } from "../../lib/cidr";
import type { VpnLinkArgs, VpnLinkOutputs } from "../failover/vpn-link";
import { ipsecSuite } from "../failover/vpn-plan";

/** Resource group and VNet name from a VNet's resource id. */
export function parseVnetId(id: string): { resourceGroupName: string; virtualNetworkName: string } {
  const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)$/i.exec(id);
  const check = new ArgumentChecks();
  check.require(m !== null, "id", id, "is not a virtual network resource id");
  check.throwIfAny(Error);
  const [, resourceGroupName, virtualNetworkName] = m!;
  return { resourceGroupName, virtualNetworkName };
}

/**
 * The peer's tunnel endpoints, each a local network gateway with its own connection. An AWS Site-to-Site VPN
 * connection always has two tunnels with two outside addresses, and AWS may take either down for maintenance
 * (https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html); connecting only the first loses the link then.
 * Both local network gateways carry the same peer range: an active-standby Azure gateway then holds two tunnels to
 * the same prefix, as Microsoft's AWS guide does (https://learn.microsoft.com/en-us/azure/vpn-gateway/
 * vpn-gateway-howto-aws-bgp); without BGP, how Azure picks between them is not documented (docs/azure.md).
 */
export function peerTunnels(first?: string, second?: string): { suffix: string; address: string }[] {
  const tunnels = first ? [{ suffix: "", address: first }] : [];
  if (first && second && second !== first) tunnels.push({ suffix: "-2", address: second });
  return tunnels;
}

/**
 * Azure end of the link: the GatewaySubnet in the range the kit keeps free
 * (planGatewaySubnet), created after every other subnet of the VNet (ARM
 * refuses concurrent subnet writes), a zone-redundant route-based VPN gateway
 * with a static public IP, and each of the peer's tunnel endpoints as a local
 * network gateway (its address space becomes a route in every subnet of the
 * VNet) with an IKEv2 connection.
 */
export class AzureVpn extends pulumi.ComponentResource implements VpnLinkOutputs {
  readonly gatewayIp: pulumi.Output<string | undefined>;

  constructor(name: string, args: VpnLinkArgs & { location: string }, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:failover:AzureVpn", name, {}, opts);
    const parent = { parent: this };
    // Every exported subnet id is an input, so the GatewaySubnet waits for the kit's chain of subnets (network.ts).
    const { privateSubnetIds, databaseSubnetIds, publicSubnetIds } = args.network;
    const vnet = pulumi
      .all([args.network.id, ...privateSubnetIds, ...databaseSubnetIds, ...publicSubnetIds])
      .apply(([id]) => parseVnetId(id));
    const resourceGroupName = vnet.resourceGroupName;
    const subnet = new Subnet(
      `${name}-gateway-subnet`,
      {
        resourceGroupName,
        virtualNetworkName: vnet.virtualNetworkName,
        subnetName: "GatewaySubnet",
        addressPrefix: planGatewaySubnet(args.network.cidr),
      },
      parent,
    );
    const ip = new PublicIPAddress(
      `${name}-ip`,
      {
        resourceGroupName,
        location: args.location,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        zones: ["1", "2", "3"],
        tags: args.tags,
      },
      parent,
    );
    const gateway = new VirtualNetworkGateway(
      `${name}-gateway`,
      {
        resourceGroupName,
        location: args.location,
        gatewayType: "Vpn",
        vpnType: "RouteBased",
        vpnGatewayGeneration: "Generation2",
        sku: { name: "VpnGw2AZ", tier: "VpnGw2AZ" },
        ipConfigurations: [
          {
            name: "default",
            privateIPAllocationMethod: "Dynamic",
            publicIPAddress: { id: ip.id },
            subnet: { id: subnet.id },
          },
        ],
        tags: args.tags,
      },
      parent,
    );
    this.gatewayIp = ip.ipAddress;
    for (const tunnel of peerTunnels(args.peerGatewayIp, args.peerSecondGatewayIp)) {
      const local = new LocalNetworkGateway(
        `${name}-peer${tunnel.suffix}`,
        {
          resourceGroupName,
          location: args.location,
          gatewayIpAddress: tunnel.address,
          localNetworkAddressSpace: { addressPrefixes: [args.peerCidr] },
          tags: args.tags,
        },
        parent,
      );
      new VirtualNetworkGatewayConnection(
        `${name}-connection${tunnel.suffix}`,
        {
          resourceGroupName,
          location: args.location,
          connectionType: "IPsec",
          connectionProtocol: "IKEv2",
          virtualNetworkGateway1: { id: gateway.id },
          localNetworkGateway2: { id: local.id },
          sharedKey: args.presharedKey,
          ipsecPolicies: [
            {
              ikeEncryption: ipsecSuite.encryption,
              ikeIntegrity: ipsecSuite.integrity,
              dhGroup: `DHGroup${ipsecSuite.dhGroup}`,
              ipsecEncryption: ipsecSuite.encryption,
              ipsecIntegrity: ipsecSuite.integrity,
              pfsGroup: "PFS2048",
              saLifeTimeSeconds: ipsecSuite.ipsecLifetimeSeconds,
              saDataSizeKilobytes: 102400000,
            },
          ],
          tags: args.tags,
        },
        parent,
      );
    }
    this.registerOutputs({ gatewayIp: this.gatewayIp });
  }
}
