import { CustomerGateway } from "@pulumi/aws/ec2/customerGateway";
import { getRouteTableOutput } from "@pulumi/aws/ec2/getRouteTable";
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

  constructor(name: string, args: VpnLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:failover:AwsVpn", name, {}, opts);
    const tags = { ...args.tags, Name: name };
    const gateway = new VpnGateway(`${name}-vgw`, { vpcId: args.network.id, tags }, { parent: this });
    const subnets = [...args.network.privateSubnetIds, args.network.databaseSubnetIds[0]];
    subnets.forEach((subnetId, i) => {
      const table = getRouteTableOutput({ subnetId }, { parent: this });
      new VpnGatewayRoutePropagation(
        `${name}-propagation-${i}`,
        { vpnGatewayId: gateway.id, routeTableId: table.routeTableId },
        { parent: this },
      );
    });
    if (!args.peerGatewayIp) {
      this.gatewayIp = pulumi.output(undefined);
      this.registerOutputs({ gatewayIp: this.gatewayIp });
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
    // The peer connects to the first tunnel; AWS keeps the second as its own standby.
    this.gatewayIp = connection.tunnel1Address;
    this.registerOutputs({ gatewayIp: this.gatewayIp });
  }
}
