import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import type { KeyOutputs } from "../contract";
import { keyPolicy } from "./permissions";

export interface AwsKeyArgs {
  /** The KMS alias, `alias/...` (see naming.ts). @default - none, required */
  alias: string;
  /** Account the key lives in; the key policy names it. @default - none, required */
  accountId: pulumi.Input<string>;
  /** Region of the key; the CloudWatch Logs grant names it. @default - none, required */
  region: string;
  /** Days a scheduled deletion can still be cancelled. @default 30 (the longest AWS allows) */
  deletionWindowInDays?: number;
  /** Days between automatic rotations of the key material. @default 365 */
  rotationPeriodInDays?: number;
  /** Tags for the key. @default {} */
  tags?: Record<string, string>;
}

/**
 * The stack's customer-managed AES-256 key (SYMMETRIC_DEFAULT is AES-256-GCM),
 * rotated yearly, with the longest deletion window as protection against
 * losing every encrypted store at once.
 */
export class AwsKey extends pulumi.ComponentResource {
  /** `id` is the key's ARN, which every AWS service and IAM policy names it by. */
  readonly outputs: KeyOutputs;
  readonly key: kms.Key;

  constructor(name: string, args: AwsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Key", name, {}, opts);
    const check = new ArgumentChecks(`invalid AwsKey '${name}'`);
    const deletionWindowInDays = args.deletionWindowInDays ?? 30;
    const rotationPeriodInDays = args.rotationPeriodInDays ?? 365;
    check.require(
      Number.isInteger(deletionWindowInDays) && deletionWindowInDays >= 7 && deletionWindowInDays <= 30,
      "deletionWindowInDays",
      deletionWindowInDays,
      "must be an integer from 7 to 30",
    );
    check.require(
      Number.isInteger(rotationPeriodInDays) && rotationPeriodInDays >= 90 && rotationPeriodInDays <= 2560,
      "rotationPeriodInDays",
      rotationPeriodInDays,
      "must be an integer from 90 to 2560",
    );
    check.throwIfAny(Error);

    this.key = new kms.Key(
      `${name}-key`,
      {
        description: `Warbler data key (${args.alias})`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays,
        deletionWindowInDays,
        multiRegion: false,
        policy: pulumi
          .output(args.accountId)
          .apply((accountId) => JSON.stringify(keyPolicy({ accountId, region: args.region }))),
        tags: args.tags,
      },
      { parent: this },
    );
    const alias = new kms.Alias(`${name}-alias`, { name: args.alias, targetKeyId: this.key.keyId }, { parent: this });
    this.outputs = { id: this.key.arn, alias: alias.name };
    this.registerOutputs({ arn: this.key.arn, alias: alias.name });
  }
}
