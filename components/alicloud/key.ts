import { Alias, getKeysOutput, Key } from "@pulumi/alicloud/kms";
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
  /** Owner of the key, named in its description: the stack (config name and stack). @default - none, required */
  owner: string;
  /** KMS instance (`kst-...`) the key is created in. @default - none: the region's default key */
  dkmsInstanceId?: string;
  /** Resolves once KMS is open in the account (services.ts); the key waits for it. @default - no wait */
  kmsOpen?: pulumi.Input<unknown>;
}

/** Descriptions of the keys Warbler stacks create outside a KMS instance start with this. */
export const defaultKeyDescriptionPrefix = "Warbler data key, region default key of ";

/** The key's description: whose it is and, outside a KMS instance, that it is the region's default key. */
export function keyDescription(owner: string, dkmsInstanceId: string | undefined): string {
  const what = "Kubernetes Secrets, node and database disks, file storage";
  return dkmsInstanceId === undefined
    ? `${defaultKeyDescriptionPrefix}${owner}: ${what}`
    : `Warbler data key of ${owner} in ${dkmsInstanceId}: ${what}`;
}

/**
 * Another Warbler stack's default key among the region's keys, or undefined. Without a KMS instance, CreateKey makes
 * the region's default key (@pulumi/alicloud kms/key.d.ts, `dkmsInstanceId`; https://www.alibabacloud.com/help/en/
 * kms/developer-reference/api-createkey), and the second stack would fail there; this names the one in the way first.
 */
export function otherStacksDefaultKey(descriptions: readonly string[], owner: string): string | undefined {
  return descriptions.find((d) => d.startsWith(defaultKeyDescriptionPrefix) && d !== keyDescription(owner, undefined));
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
    const description = keyDescription(args.owner, args.dkmsInstanceId);
    // The default key is refused at deploy time when another Warbler stack of the account holds it.
    const checked =
      args.dkmsInstanceId === undefined
        ? getKeysOutput(
            { descriptionRegex: `^${defaultKeyDescriptionPrefix}`, status: "Enabled" },
            { parent: this },
          ).keys.apply((keys) => {
            const other = otherStacksDefaultKey(
              keys.map((k) => k.description),
              args.owner,
            );
            if (other !== undefined)
              throw new Error(
                `another Warbler stack already uses the region's default KMS key ("${other}"); set ` +
                  "warbler:cluster.alicloudDkmsInstanceId to a KMS instance for this stack (docs/alicloud.md, KMS)",
              );
            return description;
          })
        : pulumi.output(description);
    const key = new Key(
      `${name}-key`,
      {
        description: pulumi.all([checked, args.kmsOpen]).apply(([d]) => d),
        ...(args.dkmsInstanceId === undefined ? {} : { dkmsInstanceId: args.dkmsInstanceId }),
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
