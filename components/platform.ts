import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/schema";
import type { PlatformOutputs } from "./contract";
import { PlatformFailover } from "./failover/platform-failover";
import { kitFor } from "./kits";
import { type ImEndpoints, KubernetesLayer } from "./kubernetes";

export interface PlatformArgs {
  /** The validated stack config. @default - none, required */
  config: PlatformConfig;
  /** The Pulumi stack name; seeds globally unique resource names. @default - none, required */
  stack: string;
}

/**
 * One IM platform on one cloud: the cloud's kit, then the cloud-neutral
 * Kubernetes layer and IM services on top of the kit's outputs.
 */
export class Platform extends pulumi.ComponentResource {
  readonly outputs: PlatformOutputs;
  /** Public load-balancer addresses of the IM services. */
  readonly imEndpoints: ImEndpoints;
  /** ejabberd administrator passwords by user name (secret). */
  readonly imAdminPasswords: pulumi.Output<Record<string, string>>;
  /** Outputs the failover peer and the global stack read; empty when `failover.role` is none. */
  readonly failoverOutputs: Record<string, pulumi.Input<unknown>>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:index:Platform", name, {}, opts);
    const { Kit } = kitFor(args.config.cloud);
    const kit = new Kit(`${name}-${args.config.cloud}`, { config: args.config, stack: args.stack }, { parent: this });
    this.outputs = kit.outputs;
    const layer = new KubernetesLayer(`${name}-k8s`, { config: args.config, platform: kit.outputs }, { parent: this });
    this.imEndpoints = layer.endpoints;
    this.imAdminPasswords = layer.adminPasswords;
    this.failoverOutputs =
      args.config.failover.role === "none"
        ? {}
        : new PlatformFailover(
            `${name}-failover`,
            { config: args.config, stack: args.stack, platform: kit.outputs, imLayer: [layer] },
            // The link's gateways live in the kit's network: the same account, subscription and region.
            { parent: this, providers: [kit.cloudProvider] },
          ).outputs;
    this.registerOutputs({ imEndpoints: this.imEndpoints, failover: this.failoverOutputs });
  }
}
