import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../stacks/config/schema";
import type { PlatformOutputs } from "./contract";
import { kits } from "./kits";

export interface PlatformArgs {
  /** The validated stack config. */
  config: PlatformConfig;
  /** The Pulumi stack name; seeds globally unique resource names. */
  stack: string;
}

/**
 * One IM platform on one cloud: the cloud's kit, then the cloud-neutral
 * Kubernetes layer and IM services on top of the kit's outputs.
 */
export class Platform extends pulumi.ComponentResource {
  readonly outputs: PlatformOutputs;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:index:Platform", name, {}, opts);
    const Kit = kits[args.config.cloud];
    if (!Kit) throw new Error(`no kit is available for cloud '${args.config.cloud}'`);
    const kit = new Kit(`${name}-${args.config.cloud}`, { config: args.config, stack: args.stack }, { parent: this });
    this.outputs = kit.outputs;
    this.registerOutputs({});
  }
}
