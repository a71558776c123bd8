import {
  Bucket,
  BucketAcl,
  BucketHttpsConfig,
  BucketLogging,
  BucketPolicy,
  BucketPublicAccessBlock,
} from "@pulumi/alicloud/oss";
import { Policy, Role, RolePolicyAttachment } from "@pulumi/alicloud/ram";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import type { BucketOutputs } from "../contract";
import {
  accessLogBucketName,
  accessLogLifecycleRules,
  accessLogPrefix,
  accessLogRoleName,
  accessLogWritePolicy,
} from "./access-logs";
import { kmsKeyArn, serviceTrustPolicy, tlsOnlyBucketPolicy } from "./permissions";

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
  /** Days the access logs are kept in the log bucket. @default 365 */
  accessLogRetentionDays?: number;
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
    ...(expireAfterDays > 0
      ? [{ id: "expire-files", prefix: "", enabled: true, expirations: [{ days: expireAfterDays }] }]
      : []),
  ];
}

/**
 * OSS bucket for uploaded files: SSE-KMS with the stack's key, private ACL,
 * public access blocked, HTTPS only (TLS 1.2+ and a policy denying plain
 * HTTP), versioning on, lifecycle from config. Its access logs go to a second
 * bucket with the same protections, which OSS writes to through a RAM role
 * allowed only to add log objects and use the key. The log bucket logs
 * nothing itself: its writer is OSS, and logging it to itself would log its
 * own log deliveries.
 */
export class AlicloudBucket extends pulumi.ComponentResource {
  readonly outputs: BucketOutputs;

  constructor(name: string, args: AlicloudBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    const retention = args.accessLogRetentionDays ?? 365;
    const check = new ArgumentChecks(`invalid AlicloudBucket '${name}'`);
    check.require(
      Number.isInteger(retention) && retention >= 1,
      "accessLogRetentionDays",
      retention,
      "must be a positive integer",
    );
    check.throwIfAny(Error);
    super("warbler:alicloud:Bucket", name, {}, opts);
    const bucket = new Bucket(
      `${name}-bucket`,
      {
        bucket: args.bucketName,
        storageClass: "Standard",
        // Zone-redundant: copies in three zones of the region (https://www.alibabacloud.com/help/en/oss/user-guide/
        // zrs); set at creation only, an existing LRS bucket stays LRS.
        redundancyType: "ZRS",
        serverSideEncryptionRule: { sseAlgorithm: "KMS", kmsMasterKeyId: args.keyId },
        versioning: { status: "Enabled" },
        lifecycleRules: lifecycleRules(args.noncurrentVersionDays, args.expireAfterDays),
        forceDestroy: false,
        tags: args.tags,
      },
      { parent: this },
    );
    this.lockDown(name, bucket);

    const logBucket = new Bucket(
      `${name}-logs`,
      {
        bucket: accessLogBucketName(args.bucketName),
        storageClass: "Standard",
        // Zone-redundant: copies in three zones of the region (https://www.alibabacloud.com/help/en/oss/user-guide/
        // zrs); set at creation only, an existing LRS bucket stays LRS.
        redundancyType: "ZRS",
        serverSideEncryptionRule: { sseAlgorithm: "KMS", kmsMasterKeyId: args.keyId },
        versioning: { status: "Enabled" },
        lifecycleRules: accessLogLifecycleRules(retention),
        forceDestroy: false,
        tags: args.tags,
      },
      { parent: this },
    );
    this.lockDown(`${name}-logs`, logBucket);
    const roleName = accessLogRoleName(args.bucketName);
    const role = new Role(
      `${name}-logging-role`,
      {
        roleName,
        description: "OSS writes the Warbler file bucket's access logs as this role",
        assumeRolePolicyDocument: serviceTrustPolicy("oss.aliyuncs.com"),
        tags: args.tags,
      },
      { parent: this },
    );
    const policy = new Policy(
      `${name}-logging-policy`,
      {
        policyName: roleName,
        description: "Write access logs to the Warbler log bucket, encrypted with the stack key",
        policyDocument: pulumi
          .all([logBucket.bucket, args.keyId])
          .apply(([target, keyId]) => accessLogWritePolicy(target, kmsKeyArn(args.region, keyId))),
        tags: args.tags,
      },
      { parent: this },
    );
    const grant = new RolePolicyAttachment(
      `${name}-logging`,
      { roleName: role.roleName, policyName: policy.policyName, policyType: "Custom" },
      { parent: this },
    );
    new BucketLogging(
      `${name}-access-logging`,
      {
        bucket: bucket.bucket,
        targetBucket: logBucket.bucket,
        targetPrefix: accessLogPrefix,
        loggingRole: role.roleName,
      },
      { parent: this, dependsOn: [grant] },
    );

    this.outputs = {
      name: bucket.bucket,
      // The upload service speaks OSS's S3-compatible API from the stack's VPC: its internal endpoint is the
      // bucket's intranet endpoint under "s3." (https://s3.oss-<region>-internal.aliyuncs.com), reachable only
      // from a VPC in the bucket's region (https://www.alibabacloud.com/help/en/oss/developer-reference/
      // use-amazon-s3-sdks-to-access-oss, https://www.alibabacloud.com/help/en/oss/user-guide/regions-and-endpoints).
      endpoint: bucket.intranetEndpoint.apply((host) => `https://s3.${host}`),
      region: args.region,
      protocol: "s3",
    };
    this.registerOutputs({ name: bucket.bucket, endpoint: this.outputs.endpoint, accessLogBucket: logBucket.bucket });
  }

  /** Private ACL, public access blocked, HTTPS with TLS 1.2+ only. */
  private lockDown(name: string, bucket: Bucket): void {
    new BucketAcl(`${name}-acl`, { bucket: bucket.bucket, acl: "private" }, { parent: this });
    new BucketPublicAccessBlock(
      `${name}-public-access-block`,
      { bucket: bucket.bucket, blockPublicAccess: true },
      { parent: this },
    );
    new BucketHttpsConfig(
      `${name}-https`,
      { bucket: bucket.bucket, enable: true, tlsVersions: ["TLSv1.2", "TLSv1.3"] },
      { parent: this },
    );
    new BucketPolicy(
      `${name}-tls-only`,
      { bucket: bucket.bucket, policy: bucket.bucket.apply(tlsOnlyBucketPolicy) },
      { parent: this },
    );
  }
}
