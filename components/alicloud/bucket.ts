import * as pulumi from "@pulumi/pulumi";
import { Bucket, BucketAcl, BucketHttpsConfig, BucketPolicy, BucketPublicAccessBlock } from "@pulumi/alicloud/oss";
import type { BucketOutputs } from "../contract";
import { tlsOnlyBucketPolicy } from "./policy-documents";

export interface AlicloudBucketArgs {
  /** Bucket name, globally unique (naming.ts). @default - none, required */
  bucketName: string;
  /** Region of the bucket (the provider's). @default - none, required */
  region: string;
  /** KMS key id for server-side encryption. @default - none, required */
  keyId: pulumi.Input<string>;
  /** Days an overwritten or deleted version is kept. @default - none, required */
  noncurrentVersionDays: number;
  /** Days after which current files are deleted; 0 keeps them. @default - none, required */
  expireAfterDays: number;
  /** Tags for the bucket. @default - none, required */
  tags: Record<string, string>;
}

/** Lifecycle rules from the storage config: old versions expire; current files too when `expireAfterDays` > 0. */
export function lifecycleRules(noncurrentVersionDays: number, expireAfterDays: number) {
  return [
    {
      id: "noncurrent-versions",
      prefix: "",
      enabled: true,
      noncurrentVersionExpirations: [{ days: noncurrentVersionDays }],
      abortMultipartUploads: [{ days: 7 }],
    },
    ...(expireAfterDays > 0 ? [{ id: "expire-files", prefix: "", enabled: true, expirations: [{ days: expireAfterDays }] }] : []),
  ];
}

/**
 * OSS bucket for uploaded files: SSE-KMS with the stack's key, private ACL,
 * public access blocked, HTTPS only (TLS 1.2+ and a policy denying plain
 * HTTP), versioning on, lifecycle from config.
 */
export class AlicloudBucket extends pulumi.ComponentResource {
  readonly outputs: BucketOutputs;

  constructor(name: string, args: AlicloudBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:Bucket", name, {}, opts);
    const bucket = new Bucket(
      `${name}-bucket`,
      {
        bucket: args.bucketName,
        storageClass: "Standard",
        serverSideEncryptionRule: { sseAlgorithm: "KMS", kmsMasterKeyId: args.keyId },
        versioning: { status: "Enabled" },
        lifecycleRules: lifecycleRules(args.noncurrentVersionDays, args.expireAfterDays),
        forceDestroy: false,
        tags: args.tags,
      },
      { parent: this },
    );
    new BucketAcl(`${name}-acl`, { bucket: bucket.bucket, acl: "private" }, { parent: this });
    new BucketPublicAccessBlock(`${name}-public-access-block`, { bucket: bucket.bucket, blockPublicAccess: true }, { parent: this });
    new BucketHttpsConfig(`${name}-https`, { bucket: bucket.bucket, enable: true, tlsVersions: ["TLSv1.2", "TLSv1.3"] }, { parent: this });
    new BucketPolicy(`${name}-tls-only`, { bucket: bucket.bucket, policy: bucket.bucket.apply(tlsOnlyBucketPolicy) }, { parent: this });

    this.outputs = {
      name: bucket.bucket,
      endpoint: bucket.extranetEndpoint.apply((host) => `https://${host}`),
      region: args.region,
      protocol: "s3",
    };
    this.registerOutputs({ name: bucket.bucket, endpoint: this.outputs.endpoint });
  }
}
