import { Connection } from "@pulumi/alicloud/vpn/connection";
import { CustomerGateway } from "@pulumi/alicloud/vpn/customerGateway";
import { Gateway } from "@pulumi/alicloud/vpn/gateway";
import { RouteEntry } from "@pulumi/alicloud/vpn/routeEntry";
import * as pulumi from "@pulumi/pulumi";
import type { VpnLinkArgs, VpnLinkOutputs } from "../failover/vpn-link";
import { ipsecSuite } from "../failover/vpn-plan";

/** The shared suite in Alibaba's spelling. */
const suite = {
  encryption: ipsecSuite.encryption.toLowerCase(),
  integrity: ipsecSuite.integrity.toLowerCase(),
  dhGroup: `group${ipsecSuite.dhGroup}`,
};

/**
 * Alibaba Cloud end of the link: a VPN gateway in the VPC, the peer as a
 * customer gateway, an IKEv2 IPsec connection between the two ranges, and
 * a route to the peer's range published into the VPC's route table.
 */
export class AlicloudVpn extends pulumi.ComponentResource implements VpnLinkOutputs {
  readonly gatewayIp: pulumi.Output<string | undefined>;

  constructor(name: string, args: VpnLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:failover:AlicloudVpn", name, {}, opts);
    const parent = { parent: this };
    const gateway = new Gateway(
      `${name}-gateway`,
      {
        vpnGatewayName: name,
        vpcId: args.network.id,
        vswitchId: args.network.publicSubnetIds[0],
        disasterRecoveryVswitchId: args.network.publicSubnetIds[1],
        bandwidth: 100,
        enableIpsec: true,
        enableSsl: false,
        paymentType: "Subscription",
        period: 1,
        autoPay: true,
        tags: args.tags,
      },
      parent,
    );
    this.gatewayIp = gateway.internetIp;
    if (args.peerGatewayIp) {
      const customer = new CustomerGateway(
        `${name}-peer`,
        { customerGatewayName: `${name}-peer`, ipAddress: args.peerGatewayIp, tags: args.tags },
        parent,
      );
      const connection = new Connection(
        `${name}-connection`,
        {
          vpnConnectionName: name,
          vpnGatewayId: gateway.id,
          customerGatewayId: customer.id,
          localSubnets: [args.network.cidr],
          remoteSubnets: [args.peerCidr],
          effectImmediately: true,
          ikeConfig: {
            ikeVersion: "ikev2",
            psk: args.presharedKey,
            ikeEncAlg: suite.encryption,
            ikeAuthAlg: suite.integrity,
            ikePfs: suite.dhGroup,
            ikeLifetime: ipsecSuite.ikeLifetimeSeconds,
          },
          ipsecConfig: {
            ipsecEncAlg: suite.encryption,
            ipsecAuthAlg: suite.integrity,
            ipsecPfs: suite.dhGroup,
            ipsecLifetime: ipsecSuite.ipsecLifetimeSeconds,
          },
          tags: args.tags,
        },
        parent,
      );
      new RouteEntry(
        `${name}-route`,
        { vpnGatewayId: gateway.id, routeDest: args.peerCidr, nextHop: connection.id, weight: 0, publishVpc: true },
        parent,
      );
    }
    this.registerOutputs({ gatewayIp: this.gatewayIp });
  }
}
