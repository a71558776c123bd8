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

/** Object actions the IM workload needs on its bucket (XEP-0363 uploads and downloads). */
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

/** What the IM workload may do: read and write objects of its bucket, and use the stack's key. */
export function workloadAccessPolicy(bucket: string, keyArn: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: [...bucketObjectActions], Resource: [`acs:oss:*:*:${bucket}/*`] },
      { Effect: "Allow", Action: ["oss:ListObjects", "oss:GetBucketInfo"], Resource: [`acs:oss:*:*:${bucket}`] },
      { Effect: "Allow", Action: [...keyUseActions], Resource: [keyArn] },
    ],
  });
}

/**
 * Key actions SSE-KMS needs for a client that writes (GenerateDataKey) and reads (Decrypt) objects; it never encrypts
 * with the key itself.
 */
export const sseKmsActions = ["kms:GenerateDataKey", "kms:Decrypt"] as const;

/** Bucket-level actions the upload gateway (s3proxy) calls: list, existence and location checks. */
export const gatewayBucketActions = ["oss:ListObjects", "oss:GetBucketInfo", "oss:GetBucketLocation"] as const;

/**
 * What the upload gateway's access key may do: the object actions of
 * XEP-0363 uploads and downloads on the one bucket, and SSE-KMS with the one
 * key. It names no other resource and no wildcard beyond the bucket's objects.
 */
export function uploadGatewayPolicy(bucket: string, keyArn: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: [...bucketObjectActions], Resource: [`acs:oss:*:*:${bucket}/*`] },
      { Effect: "Allow", Action: [...gatewayBucketActions], Resource: [`acs:oss:*:*:${bucket}`] },
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
