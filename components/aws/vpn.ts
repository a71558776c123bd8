import { CustomerGateway } from "@pulumi/aws/ec2/customerGateway";
import { VpnConnection } from "@pulumi/aws/ec2/vpnConnection";
import { VpnConnectionRoute } from "@pulumi/aws/ec2/vpnConnectionRoute";
import { VpnGateway } from "@pulumi/aws/ec2/vpnGateway";
import { VpnGatewayRoutePropagation } from "@pulumi/aws/ec2/vpnGatewayRoutePropagation";
import * as pulumi from "@pulumi/pulumi";
import type { VpnLinkArgs, VpnLinkOutputs } from "../failover/vpn-link";
import { ipsecSuite } from "../failover/vpn-plan";

/** One tunnel's proposal: only the shared suite, so AWS does not also offer its weaker defaults. */
function tunnelProposal(tunnel: "tunnel1" | "tunnel2"): Record<string, unknown> {
  return {
    [`${tunnel}IkeVersions`]: ["ikev2"],
    [`${tunnel}Phase1EncryptionAlgorithms`]: [ipsecSuite.encryption],
    [`${tunnel}Phase1IntegrityAlgorithms`]: ["SHA2-256"],
    [`${tunnel}Phase1DhGroupNumbers`]: [ipsecSuite.dhGroup],
    [`${tunnel}Phase1LifetimeSeconds`]: ipsecSuite.ikeLifetimeSeconds,
    [`${tunnel}Phase2EncryptionAlgorithms`]: [ipsecSuite.encryption],
    [`${tunnel}Phase2IntegrityAlgorithms`]: ["SHA2-256"],
    [`${tunnel}Phase2DhGroupNumbers`]: [ipsecSuite.dhGroup],
    [`${tunnel}Phase2LifetimeSeconds`]: ipsecSuite.ipsecLifetimeSeconds,
  };
}

/**
 * AWS end of the link: a virtual private gateway on the VPC, the peer as a
 * customer gateway, an IPsec connection with static routes to the peer's
 * range, and that route propagated into the route tables of the private
 * (nodes, Jobs) and database subnets.
 */
export class AwsVpn extends pulumi.ComponentResource implements VpnLinkOutputs {
  readonly gatewayIp: pulumi.Output<string | undefined>;
  /** Tunnel 2's outside address: the peer's `failover.peer.secondGatewayIp`. */
  readonly secondGatewayIp: pulumi.Output<string | undefined>;

  constructor(name: string, args: VpnLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:failover:AwsVpn", name, {}, opts);
    const tags = { ...args.tags, Name: name };
    const routeTableIds = args.network.routeTableIds;
    if (!routeTableIds || routeTableIds.length === 0)
      throw new Error(
        `AwsVpn '${name}': 'network.routeTableIds' must list the route tables the peer's range goes into`,
      );
    const gateway = new VpnGateway(`${name}-vgw`, { vpcId: args.network.id, tags }, { parent: this });
    // The network hands its tables over: a lookup by subnet (ec2.getRouteTable) can run before the subnet's
    // association exists and then finds the VPC's main table, or nothing.
    routeTableIds.forEach((routeTableId, i) => {
      new VpnGatewayRoutePropagation(
        `${name}-propagation-${i}`,
        { vpnGatewayId: gateway.id, routeTableId },
        { parent: this },
      );
    });
    if (!args.peerGatewayIp) {
      this.gatewayIp = pulumi.output(undefined);
      this.secondGatewayIp = pulumi.output(undefined);
      this.registerOutputs({ gatewayIp: this.gatewayIp, secondGatewayIp: this.secondGatewayIp });
      return;
    }
    const customer = new CustomerGateway(
      `${name}-cgw`,
      { bgpAsn: "65000", ipAddress: args.peerGatewayIp, type: "ipsec.1", tags },
      { parent: this },
    );
    const connection = new VpnConnection(
      `${name}-connection`,
      {
        vpnGatewayId: gateway.id,
        customerGatewayId: customer.id,
        type: "ipsec.1",
        staticRoutesOnly: true,
        tunnel1PresharedKey: args.presharedKey,
        tunnel2PresharedKey: args.presharedKey,
        ...tunnelProposal("tunnel1"),
        ...tunnelProposal("tunnel2"),
        tags,
      },
      { parent: this },
    );
    new VpnConnectionRoute(
      `${name}-route`,
      { vpnConnectionId: connection.id, destinationCidrBlock: args.peerCidr },
      { parent: this },
    );
    // Both tunnels end on the one customer gateway; a peer that sets `failover.peer.secondGatewayIp` connects to
    // both, so the link survives AWS maintenance on one tunnel
    // (https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html).
    this.gatewayIp = connection.tunnel1Address;
    this.secondGatewayIp = connection.tunnel2Address;
    this.registerOutputs({ gatewayIp: this.gatewayIp, secondGatewayIp: this.secondGatewayIp });
  }
}
