import { Eip } from "@pulumi/aws/ec2/eip";
import * as pulumi from "@pulumi/pulumi";
import { imPorts } from "../../charts/im/props";
import type { TurnAddress } from "../contract";

export interface AwsTurnAddressArgs {
  /** The public subnet the TURN load balancer lives in (one zone). @default - none, required */
  publicSubnetId: pulumi.Input<string>;
  /** Availability zone of that subnet; the TURN pod is pinned to it. @default - none, required */
  zone: string;
  /** Tags for the Elastic IP. @default {} */
  tags?: Record<string, string>;
}

/**
 * The AWS Load Balancer Controller's annotations that put an NLB in exactly
 * one public subnet with exactly this Elastic IP. The controller needs one
 * allocation per subnet, so one subnet keeps one announceable address.
 */
export function turnAddressAnnotations(
  publicSubnetId: pulumi.Input<string>,
  allocationId: pulumi.Input<string>,
): Record<string, pulumi.Output<string>> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-subnets": pulumi.output(publicSubnetId),
    "service.beta.kubernetes.io/aws-load-balancer-eip-allocations": pulumi.output(allocationId),
    // NLB health checks cannot be UDP; by default they are TCP on each target group's traffic port, where nothing
    // listens for the UDP relay and 3478 groups (https://docs.aws.amazon.com/elasticloadbalancing/latest/
    // APIReference/API_TargetGroup.html). eturnal's TCP/TLS socket answers for the one pod behind all of them.
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": pulumi.output("tcp"),
    "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": pulumi.output(String(imPorts.turnStreamTarget)),
  };
}

/**
 * A static public IPv4 address for TURN: an Elastic IP on an NLB confined to
 * one zone. An NLB spanning N zones answers on N addresses, and eturnal can
 * announce only one, so the TURN NLB (and its pod) live in one zone: losing
 * that zone stops relayed calls until it returns, while direct and STUN-only
 * calls, and everything else, keep working in the other zones.
 */
export class AwsTurnAddress extends pulumi.ComponentResource {
  readonly outputs: TurnAddress;

  constructor(name: string, args: AwsTurnAddressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:TurnAddress", name, {}, opts);
    const eip = new Eip(
      `${name}-eip`,
      { domain: "vpc", tags: { ...args.tags, Name: `${name}-${args.zone}` } },
      { parent: this },
    );
    this.outputs = {
      ip: eip.publicIp,
      annotations: turnAddressAnnotations(args.publicSubnetId, eip.allocationId),
      zone: args.zone,
    };
    this.registerOutputs({ ip: eip.publicIp, allocationId: eip.allocationId });
  }
}
