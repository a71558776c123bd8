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
 * The two tunnels of a dual-tunnel connection, each to a customer gateway (the peer's second address when it offers
 * one, its only address otherwise), with the same key and suite on each.
 */
export function tunnelOptions(
  masterPeer: pulumi.Input<string>,
  slavePeer: pulumi.Input<string>,
  psk: pulumi.Input<string>,
) {
  return (
    [
      ["master", masterPeer],
      ["slave", slavePeer],
    ] as const
  ).map(([role, customerGatewayId]) => ({
    role,
    customerGatewayId,
    enableDpd: true,
    enableNatTraversal: true,
    tunnelIkeConfig: {
      ikeVersion: "ikev2",
      ikeMode: "main",
      psk,
      ikeEncAlg: suite.encryption,
      ikeAuthAlg: suite.integrity,
      ikePfs: suite.dhGroup,
      ikeLifetime: ipsecSuite.ikeLifetimeSeconds,
    },
    tunnelIpsecConfig: {
      ipsecEncAlg: suite.encryption,
      ipsecAuthAlg: suite.integrity,
      ipsecPfs: suite.dhGroup,
      ipsecLifetime: ipsecSuite.ipsecLifetimeSeconds,
    },
  }));
}

/**
 * Alibaba Cloud end of the link: a VPN gateway in the VPC, the peer as a
 * customer gateway, an IKEv2 IPsec connection between the two ranges, and
 * a route to the peer's range published into the VPC's route table.
 */
export class AlicloudVpn extends pulumi.ComponentResource implements VpnLinkOutputs {
  readonly gatewayIp: pulumi.Output<string | undefined>;
  /** The second tunnel's address (`disasterRecoveryInternetIp`): the peer's `failover.peer.secondGatewayIp`. */
  readonly secondGatewayIp: pulumi.Output<string | undefined>;

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
    this.secondGatewayIp = gateway.disasterRecoveryInternetIp;
    if (args.peerGatewayIp) {
      const customer = new CustomerGateway(
        `${name}-peer`,
        { customerGatewayName: `${name}-peer`, ipAddress: args.peerGatewayIp, tags: args.tags },
        parent,
      );
      const secondCustomer =
        args.peerSecondGatewayIp === undefined
          ? undefined
          : new CustomerGateway(
              `${name}-peer-2`,
              { customerGatewayName: `${name}-peer-2`, ipAddress: args.peerSecondGatewayIp, tags: args.tags },
              parent,
            );
      // The gateway has two tunnel addresses (disasterRecoveryVswitchId), so CreateVpnConnection takes the
      // connection in dual-tunnel form: one TunnelOptionsSpecification per tunnel, master and slave, each with its
      // own IKE and IPsec settings (https://www.alibabacloud.com/help/en/vpn/developer-reference/
      // api-vpc-2016-04-28-createvpnconnection; @pulumi/alicloud vpn/connection.d.ts, tunnelOptionsSpecifications).
      const connection = new Connection(
        `${name}-connection`,
        {
          vpnConnectionName: name,
          vpnGatewayId: gateway.id,
          localSubnets: [args.network.cidr],
          remoteSubnets: [args.peerCidr],
          effectImmediately: true,
          enableTunnelsBgp: false,
          tunnelOptionsSpecifications: tunnelOptions(customer.id, secondCustomer?.id ?? customer.id, args.presharedKey),
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
    this.registerOutputs({ gatewayIp: this.gatewayIp, secondGatewayIp: this.secondGatewayIp });
  }
}
