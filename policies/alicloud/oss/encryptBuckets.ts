import type { BucketArgs, BucketServerSideEncryptionArgs } from "@pulumi/alicloud/oss";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

const BUCKET = "alicloud:oss/bucket:Bucket";
const SSE = "alicloud:oss/bucketServerSideEncryption:BucketServerSideEncryption";

function problems(rule: { sseAlgorithm?: string; kmsMasterKeyId?: string }, where: string): string[] {
  if (rule.sseAlgorithm !== "KMS")
    return [`${where}sseAlgorithm (${JSON.stringify(rule.sseAlgorithm ?? "none")}) must be "KMS"`];
  return isSet(rule.kmsMasterKeyId)
    ? []
    : [`${where}kmsMasterKeyId is not set; objects would use the OSS-managed KMS key`];
}

export const alicloudOssEncryption: WarblerResourcePolicy = {
  id: "alicloud-oss-encryption",
  name: "OSS buckets encrypt objects with a customer-managed key",
  target: "alicloud",
  what:
    "Server-side encryption on every OSS bucket must be KMS with a customer-managed key, whether set on the " +
    "bucket or through a BucketServerSideEncryption resource. (Checkov CKV_ALI_6, InfraGuard " +
    "oss-bucket-server-side-encryption-enabled / oss-default-encryption-kms.)",
  why:
    "The bucket stores files users share in chats. Encryption with your own key keeps them unreadable to anyone " +
    "who cannot use that key; MLPS level 3 requires cryptographic protection of important data in storage.",
  fix:
    "Set 'serverSideEncryptionRule: { sseAlgorithm: \"KMS\", kmsMasterKeyId: <platform key id> }' on the bucket " +
    "or attach an 'alicloud.oss.BucketServerSideEncryption' with the same settings (the Warbler Alibaba kit does " +
    "this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "SOC2-C1.1",
    "PCI-3.5.1",
    "GDPR-32",
    "CIS-ALI-OSS-ENCRYPTION",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: [BUCKET, SSE],
  validateResource: forTypes<BucketArgs & BucketServerSideEncryptionArgs>([BUCKET, SSE], (p, args, report) => {
    if (args.type === SSE) {
      for (const problem of problems(p, "")) report(problem);
      return;
    }
    // The bucket may leave encryption to a BucketServerSideEncryption; alicloud-oss-bucket-controls-attached requires
    // one of the two.
    if (p.serverSideEncryptionRule)
      for (const problem of problems(p.serverSideEncryptionRule, "serverSideEncryptionRule.")) report(problem);
  }),
};
