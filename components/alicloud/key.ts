import { Alias, Key } from "@pulumi/alicloud/kms";
import * as pulumi from "@pulumi/pulumi";
import type { KeyOutputs } from "../contract";

export interface AlicloudKeyArgs {
  /** KMS alias, `alias/...` (see naming.ts). @default - none, required */
  alias: string;
  /** Tags for the key. @default - none, required */
  tags: Record<string, string>;
  /** Days between automatic rotations; KMS default keys rotate only every 365 days. @default 365 */
  rotationDays?: number;
  /** Days a scheduled deletion waits before the key is gone; the maximum safety net is 366. @default 30 */
  pendingWindowInDays?: number;
}

/**
 * The customer-managed AES-256 key every capability encrypts with: KMS
 * `Aliyun_AES_256`, rotated automatically, deletion-protected. Software
 * protection, not HSM: KMS cannot rotate HSM-protected keys automatically,
 * and rotation is part of the contract. Who may use the key is granted per
 * service by RAM policies naming this key (database.ts, identity.ts).
 */
export class AlicloudKey extends pulumi.ComponentResource {
  readonly outputs: KeyOutputs;
  /** `acs:kms:...` resource name of the key, for RAM policies. */
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AlicloudKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:Key", name, {}, opts);
    const key = new Key(
      `${name}-key`,
      {
        description: "Warbler data key: Kubernetes Secrets, node and database disks, file storage",
        keySpec: "Aliyun_AES_256",
        keyUsage: "ENCRYPT/DECRYPT",
        origin: "Aliyun_KMS",
        protectionLevel: "SOFTWARE",
        automaticRotation: "Enabled",
        rotationInterval: `${args.rotationDays ?? 365}d`,
        deletionProtection: "Enabled",
        deletionProtectionDescription:
          "Holds the platform's data keys; deleting it makes every encrypted disk, secret and file unreadable",
        pendingWindowInDays: args.pendingWindowInDays ?? 30,
        status: "Enabled",
        tags: args.tags,
      },
      { parent: this },
    );
    const alias = new Alias(`${name}-alias`, { aliasName: args.alias, keyId: key.id }, { parent: this });
    this.arn = key.arn;
    this.outputs = { id: key.id, alias: alias.aliasName };
    this.registerOutputs({ id: key.id, arn: key.arn, alias: alias.aliasName });
  }
}
