import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import type { BucketOutputs } from "../contract";
import { accessLogBucketPolicy, tlsOnlyBucketPolicy } from "./permissions";

/** Where in the log bucket S3 writes the files bucket's access logs. */
export const ACCESS_LOG_PREFIX = "files/";

export interface AwsBucketArgs {
  /** Globally unique bucket name (naming.ts). @default - none, required */
  bucketName: string;
  /** Globally unique name of the bucket that receives its server access logs (naming.ts). @default - none, required */
  accessLogBucketName: string;
  /** Account of both buckets; only its logging deliveries are accepted. @default - none, required */
  accountId: pulumi.Input<string>;
  /** Days access logs are kept. @default 365 */
  accessLogRetentionDays?: number;
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
 * Every request to it is recorded by S3 server access logging in a second
 * bucket with the same controls, which only S3's logging service may write.
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
    this.accessLogs(name, args, bucket);
    this.outputs = {
      name: this.bucket.bucket,
      endpoint: pulumi.output(`https://s3.${args.region}.amazonaws.com`),
      region: args.region,
      protocol: "s3",
    };
    this.registerOutputs({ name: this.outputs.name, arn: this.arn });
  }

  /** The log bucket, its controls, and the logging configuration of the files bucket. */
  private accessLogs(name: string, args: AwsBucketArgs, source: pulumi.Output<string>): void {
    const retention = args.accessLogRetentionDays ?? 365;
    const logs = new s3.Bucket(
      `${name}-access-logs`,
      { bucket: args.accessLogBucketName, forceDestroy: false, tags: args.tags },
      { parent: this },
    );
    const bucket = logs.id;
    // Owner enforced: S3's logging service is granted through the bucket policy below, never an ACL.
    new s3.BucketOwnershipControls(
      `${name}-access-logs-ownership`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      { parent: this },
    );
    const publicAccess = new s3.BucketPublicAccessBlock(
      `${name}-access-logs-public-access`,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-access-logs-encryption`,
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
    new s3.BucketLifecycleConfiguration(
      `${name}-access-logs-lifecycle`,
      {
        bucket,
        rules: [
          { id: "expire-access-logs", status: "Enabled", filter: { prefix: "" }, expiration: { days: retention } },
        ],
      },
      { parent: this },
    );
    const policy = new s3.BucketPolicy(
      `${name}-access-logs-policy`,
      {
        bucket,
        policy: pulumi
          .all([logs.arn, this.arn, args.accountId])
          .apply(([logArn, sourceArn, accountId]) =>
            JSON.stringify(accessLogBucketPolicy(logArn, sourceArn, accountId, ACCESS_LOG_PREFIX)),
          ),
      },
      { parent: this, dependsOn: [publicAccess] },
    );
    new s3.BucketLogging(
      `${name}-logging`,
      { bucket: source, targetBucket: bucket, targetPrefix: ACCESS_LOG_PREFIX },
      // S3 checks it may deliver when logging is turned on.
      { parent: this, dependsOn: [policy] },
    );
  }
}
