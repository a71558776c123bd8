import type * as pulumi from "@pulumi/pulumi";
import type { NetworkOutputs } from "../contract";

export interface VpnLinkArgs {
  /** This stack's network, from the kit. @default - none, required */
  network: NetworkOutputs;
  /** The peer's range, routed over the tunnel. @default - none, required */
  peerCidr: string;
  /** Public IP of the peer's VPN gateway; without it only this end's gateway is created. @default - link completed by a later deploy */
  peerGatewayIp?: string;
  /** IPsec pre-shared key, the same on both ends (a secret). @default - none, required */
  presharedKey: pulumi.Input<string>;
  /** Tags for every resource. @default - none, required */
  tags: Record<string, string>;
}

export interface VpnLinkOutputs {
  /** Public IP the peer's gateway connects to; the peer sets it as `failover.peer.gatewayIp`. */
  readonly gatewayIp: pulumi.Output<string | undefined>;
}
