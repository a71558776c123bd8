import { AccessKey } from "@pulumi/alicloud/ram/accessKey";
import { Policy } from "@pulumi/alicloud/ram/policy";
import { User } from "@pulumi/alicloud/ram/user";
import { UserPolicyAttachment } from "@pulumi/alicloud/ram/userPolicyAttachment";
import * as pulumi from "@pulumi/pulumi";
import type { BucketCredentials } from "../contract";
import { uploadGatewayPolicy } from "./permissions";

export interface AlicloudBucketCredentialsArgs {
  /** RAM user name, unique in the account. @default - none, required */
  userName: string;
  /** RAM policy name, unique in the account. @default - none, required */
  policyName: string;
  /** The bucket the key pair may use. @default - none, required */
  bucket: pulumi.Input<string>;
  /** Resource name of the KMS key that encrypts the bucket. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Tags for the user and the policy. @default {} */
  tags?: Record<string, string>;
}

/**
 * A RAM user with one access key, allowed only the upload gateway's object
 * operations on the one bucket and SSE-KMS with the one key. It exists
 * because s3proxy signs OSS requests with a static key pair and cannot
 * exchange an RRSA token for one. The user has no console login and no other
 * grant; rotating the key is `pulumi up --replace` on the AccessKey
 * (docs/im.md, "On Kubernetes", Files).
 */
export class AlicloudBucketCredentials extends pulumi.ComponentResource {
  /** The key pair; both values are secrets. */
  readonly credentials: BucketCredentials;

  constructor(name: string, args: AlicloudBucketCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:BucketCredentials", name, {}, opts);
    const user = new User(
      `${name}-user`,
      {
        name: args.userName,
        displayName: args.userName,
        comments: "Warbler upload gateway (s3proxy): its bucket and key only",
        tags: args.tags,
      },
      { parent: this },
    );
    const policy = new Policy(
      `${name}-policy`,
      {
        policyName: args.policyName,
        description: "Warbler upload gateway: objects of its bucket and SSE-KMS with its key, nothing else",
        policyDocument: pulumi
          .all([args.bucket, args.keyArn])
          .apply(([bucket, keyArn]) => uploadGatewayPolicy(bucket, keyArn)),
        tags: args.tags,
      },
      { parent: this },
    );
    const attachment = new UserPolicyAttachment(
      `${name}-attachment`,
      { userName: user.name, policyName: policy.policyName, policyType: "Custom" },
      { parent: this },
    );
    // Created after the grant, so the key never works with fewer rights than it is handed over for.
    const key = new AccessKey(
      `${name}-key`,
      { userName: user.name, status: "Active" },
      { parent: this, dependsOn: [attachment] },
    );
    this.credentials = { accessKeyId: pulumi.secret(key.id), secretAccessKey: pulumi.secret(key.secret) };
    this.registerOutputs({ userName: user.name });
  }
}
