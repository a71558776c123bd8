import { ApplicationLoadBalancer } from "@pulumi/alicloud/slb/applicationLoadBalancer";
import * as pulumi from "@pulumi/pulumi";
import type { TurnAddress } from "../contract";

export interface AlicloudTurnAddressArgs {
  /** CLB instance name. @default - none, required */
  loadBalancerName: string;
  /** The stack's zones; the CLB's primary is the first, its standby the second. @default - none, required */
  zones: readonly string[];
  /** Tags for the CLB (at most 10). @default {} */
  tags?: Record<string, string>;
}

/**
 * ACK cloud-controller-manager annotations that put a LoadBalancer Service on
 * an existing CLB and let the controller manage that CLB's listeners (it
 * leaves the listeners of a CLB it did not create alone otherwise).
 */
export function turnAddressAnnotations(
  loadBalancerId: pulumi.Input<string>,
): Record<string, pulumi.Output<string> | string> {
  return {
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": pulumi.output(loadBalancerId),
    "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners": "true",
  };
}

/**
 * A static public IPv4 address for TURN: an Internet-facing Classic Load
 * Balancer that the stack owns, rather than one the cloud controller creates
 * for the Service, so its address is known before the Service exists and
 * outlives Service re-creation. A CLB's public address is fixed for the
 * instance's life; deletion protection keeps the instance. The CLB runs in a
 * primary and a standby zone, so the address survives one zone's outage.
 * Its attributes match the kit's UDP annotations (`load-balancer.ts`), so
 * the controller finds nothing to change on it.
 */
export class AlicloudTurnAddress extends pulumi.ComponentResource {
  readonly outputs: TurnAddress;

  constructor(name: string, args: AlicloudTurnAddressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:TurnAddress", name, {}, opts);
    const clb = new ApplicationLoadBalancer(
      `${name}-clb`,
      {
        loadBalancerName: args.loadBalancerName,
        addressType: "internet",
        addressIpVersion: "ipv4",
        paymentType: "PayAsYouGo",
        instanceChargeType: "PayByCLCU",
        internetChargeType: "PayByTraffic",
        masterZoneId: args.zones[0],
        slaveZoneId: args.zones[1] ?? args.zones[0],
        deleteProtection: "on",
        modificationProtectionStatus: "ConsoleProtection",
        modificationProtectionReason: "Managed by Warbler (Pulumi): the TURN relay announces this address",
        tags: args.tags,
      },
      { parent: this },
    );
    this.outputs = { ip: clb.address, annotations: turnAddressAnnotations(clb.id) };
    this.registerOutputs({ ip: clb.address, loadBalancerId: clb.id });
  }
}
