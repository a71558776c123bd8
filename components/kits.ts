import type * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../config/clouds";
import type { PlatformConfig } from "../config/schema";
import type { PlatformOutputs } from "./contract";
import { AlicloudKit } from "./alicloud/kit";
import { AwsKit } from "./aws/kit";
import { AzureKit } from "./azure/kit";

export interface KitArgs {
  /** The validated stack config. @default - none, required */
  config: PlatformConfig;
  /** The Pulumi stack name; seeds globally unique resource names. @default - none, required */
  stack: string;
}

/** A cloud kit: one ComponentResource that provisions every capability of the contract. */
export interface Kit extends pulumi.ComponentResource {
  readonly outputs: PlatformOutputs;
  /** The explicit provider in the stack's region; whatever else the stack creates on this cloud (the failover link) uses it too. */
  readonly cloudProvider: pulumi.ProviderResource;
}

export type KitConstructor = new (name: string, args: KitArgs, opts?: pulumi.ComponentResourceOptions) => Kit;

/** The kit of each cloud. */
export const kits: Record<Cloud, KitConstructor> = { alicloud: AlicloudKit, aws: AwsKit, azure: AzureKit };
