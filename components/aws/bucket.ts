import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import type { BucketOutputs } from "../contract";
import { tlsOnlyBucketPolicy } from "./permissions";

export interface AwsBucketArgs {
  /** Globally unique bucket name (naming.ts). @default - none, required */
  bucketName: string;
  /** Region of the bucket (the provider's), for its endpoint. @default - none, required */
  region: string;
  /** Key ARN for SSE-KMS. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Days an overwritten or deleted version is kept. @default - none, required */
  noncurrentVersionDays: number;
  /** Days after which current files expire; 0 keeps them. @default 0 */
  expireAfterDays?: number;
  /** Days before an unfinished multipart upload is cleaned up. @default 7 */
  abortIncompleteUploadDays?: number;
  /** Tags on the bucket. @default {} */
  tags?: Record<string, string>;
}

/**
 * The S3 bucket for uploaded files: SSE-KMS with the stack's key by
 * default (with an S3 Bucket Key to cut KMS calls), every public access path
 * blocked, ACLs disabled, TLS 1.2+ only, versioned, and expiring per config.
 */
export class AwsBucket extends pulumi.ComponentResource {
  readonly outputs: BucketOutputs;
  readonly bucket: s3.Bucket;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AwsBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Bucket", name, {}, opts);
    const expireAfterDays = args.expireAfterDays ?? 0;
    const abortDays = args.abortIncompleteUploadDays ?? 7;
    const check = new ArgumentChecks(`invalid AwsBucket '${name}'`);
    check.require(
      Number.isInteger(args.noncurrentVersionDays) && args.noncurrentVersionDays >= 1,
      "noncurrentVersionDays",
      args.noncurrentVersionDays,
      "must be a positive integer",
    );
    check.require(
      Number.isInteger(expireAfterDays) && expireAfterDays >= 0,
      "expireAfterDays",
      expireAfterDays,
      "must be 0 or a positive integer",
    );
    check.require(
      Number.isInteger(abortDays) && abortDays >= 1,
      "abortIncompleteUploadDays",
      abortDays,
      "must be a positive integer",
    );
    check.throwIfAny(Error);

    this.bucket = new s3.Bucket(
      `${name}-bucket`,
      { bucket: args.bucketName, forceDestroy: false, tags: args.tags },
      { parent: this },
    );
    const bucket = this.bucket.id;
    new s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      { parent: this },
    );
    const publicAccess = new s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn },
            bucketKeyEnabled: true,
          },
        ],
      },
      { parent: this },
    );
    const versioning = new s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" } },
      { parent: this },
    );
    new s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "expire-old-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: abortDays },
            // Current files never expire here, so delete markers left by expired versions are removed instead.
            ...(expireAfterDays > 0 ? {} : { expiration: { expiredObjectDeleteMarker: true } }),
          },
          ...(expireAfterDays > 0
            ? [{ id: "expire-files", status: "Enabled", filter: { prefix: "" }, expiration: { days: expireAfterDays } }]
            : []),
        ],
      },
      // S3 rejects lifecycle rules on noncurrent versions until versioning is on.
      { parent: this, dependsOn: [versioning] },
    );
    new s3.BucketPolicy(
      `${name}-policy`,
      { bucket, policy: this.bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
      // A policy put before the block is in place could briefly be evaluated as public.
      { parent: this, dependsOn: [publicAccess] },
    );
    this.arn = this.bucket.arn;
    this.outputs = {
      name: this.bucket.bucket,
      endpoint: pulumi.output(`https://s3.${args.region}.amazonaws.com`),
      region: args.region,
      protocol: "s3",
    };
    this.registerOutputs({ name: this.outputs.name, arn: this.arn });
  }
}
