/**
 * RAM and OSS policy documents, as JSON text. Pure, so tests can read the
 * exact grants; every grant names the one bucket or key it is for.
 */

/** Actions a workload needs to use the stack's KMS key for envelope encryption, and no more. */
export const keyUseActions = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"] as const;

/**
 * Actions ApsaraDB RDS needs on the key for cloud-disk encryption: use it,
 * and tag it (RDS marks keys it encrypts with so they are not deleted by mistake).
 */
export const rdsKeyActions = [
  ...keyUseActions,
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ListResourceTags",
] as const;

/**
 * Object actions the upload service needs on its bucket through OSS's S3-compatible API: PutObject (and the
 * multipart calls, which OSS authorizes as oss:PutObject, plus AbortMultipartUpload and ListParts), GetObject and
 * HeadObject (OSS authorizes HEAD and GetObjectMeta as oss:GetObject) and DeleteObject (erasure).
 */
export const bucketObjectActions = [
  "oss:GetObject",
  "oss:PutObject",
  "oss:DeleteObject",
  "oss:AbortMultipartUpload",
  "oss:ListParts",
] as const;

/** The Alibaba Cloud resource name of a KMS key. */
export function kmsKeyArn(region: string, keyId: string): string {
  return `acs:kms:${region}:*:key/${keyId}`;
}

/**
 * Trust policy of a RAM role that exactly one Kubernetes ServiceAccount may
 * assume through the cluster's RRSA OIDC provider.
 */
export function rrsaTrustPolicy(
  oidcProviderArn: string,
  issuerUrl: string,
  namespace: string,
  serviceAccount: string,
): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Federated: [oidcProviderArn] },
        Condition: {
          StringEquals: {
            "oidc:aud": "sts.aliyuncs.com",
            "oidc:iss": issuerUrl,
            "oidc:sub": `system:serviceaccount:${namespace}:${serviceAccount}`,
          },
        },
      },
    ],
  });
}

/** Trust policy of a RAM role that one Alibaba Cloud service (such as `rds.aliyuncs.com`) may assume. */
export function serviceTrustPolicy(service: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: [service] } }],
  });
}

/**
 * Key actions SSE-KMS needs for a client that writes (GenerateDataKey) and reads (Decrypt) objects; it never encrypts
 * with the key itself, so Encrypt and DescribeKey stay out.
 */
export const sseKmsActions = ["kms:GenerateDataKey", "kms:Decrypt"] as const;

/** Bucket-level actions: listing a user's objects (quota, erasure) and the bucket check rclone's file sync makes. */
export const bucketLevelActions = ["oss:ListObjects", "oss:GetBucketInfo"] as const;

/**
 * What the bucket identity (the upload service's ServiceAccount, `imWorkload`) may do: the objects of its one
 * bucket, and SSE-KMS with the one key. It names no other resource and no wildcard beyond the bucket's objects.
 */
export function workloadAccessPolicy(bucket: string, keyArn: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: [...bucketObjectActions], Resource: [`acs:oss:*:*:${bucket}/*`] },
      { Effect: "Allow", Action: [...bucketLevelActions], Resource: [`acs:oss:*:*:${bucket}`] },
      { Effect: "Allow", Action: [...sseKmsActions], Resource: [keyArn] },
    ],
  });
}

/** What ApsaraDB RDS may do with the stack's key to encrypt the database's cloud disks. */
export function rdsKeyPolicy(keyArn: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [{ Effect: "Allow", Action: [...rdsKeyActions], Resource: [keyArn] }],
  });
}

/** Bucket policy that refuses every request made over plain HTTP. */
export function tlsOnlyBucketPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      {
        Effect: "Deny",
        Action: ["oss:*"],
        Principal: ["*"],
        Resource: [`acs:oss:*:*:${bucket}`, `acs:oss:*:*:${bucket}/*`],
        Condition: { Bool: { "acs:SecureTransport": ["false"] } },
      },
    ],
  });
}

/**
 * The alidns webhook's DNS-01 calls (DescribeDomainRecords, AddDomainRecord, UpdateDomainRecord,
 * DeleteSubDomainRecords) on the one zone, and nothing else.
 */
export const alidnsDns01Actions = [
  "alidns:DescribeDomainRecords",
  "alidns:AddDomainRecord",
  "alidns:UpdateDomainRecord",
  "alidns:DeleteSubDomainRecords",
] as const;

/** What cert-manager's alidns key pair may do: challenge records of one Alibaba Cloud DNS domain (zone). */
export function alidnsDns01Policy(zone: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [{ Effect: "Allow", Action: [...alidnsDns01Actions], Resource: [`acs:alidns:*:*:domain/${zone}`] }],
  });
}
