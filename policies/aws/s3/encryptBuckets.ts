import type { BucketArgs, BucketServerSideEncryptionConfigurationArgs } from "@pulumi/aws/s3";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const types = ["aws:s3/bucket:Bucket", SSE];

interface Rule {
  applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string };
}

function ruleProblems(rules: readonly Rule[], where: string): string[] {
  if (rules.length === 0) return [`${where} has no rule`];
  return rules.flatMap((r, i) => {
    const d = r.applyServerSideEncryptionByDefault;
    if (!d || !["aws:kms", "aws:kms:dsse"].includes(String(d.sseAlgorithm))) {
      return [
        `${where}[${i}] uses ${JSON.stringify(d?.sseAlgorithm ?? "no default encryption")}; it must be "aws:kms"`,
      ];
    }
    return isSet(d.kmsMasterKeyId)
      ? []
      : [`${where}[${i}] has no kmsMasterKeyId; objects would use the AWS-managed key`];
  });
}

export const awsS3BucketEncryption: WarblerResourcePolicy = {
  id: "aws-s3-bucket-encryption",
  name: "S3 buckets encrypt objects with a customer-managed key",
  target: "aws",
  what:
    "Default encryption on every S3 bucket must be SSE-KMS with a customer-managed KMS key, whether set on the " +
    "bucket or through a BucketServerSideEncryptionConfiguration.",
  why:
    "The bucket stores files users share in chats (XEP-0363 uploads). Encryption with your own key keeps them " +
    "unreadable to anyone who cannot use that key, including through a mistaken bucket policy.",
  fix:
    "Attach an 'aws.s3.BucketServerSideEncryptionConfiguration' with 'sseAlgorithm: \"aws:kms\"' and " +
    "'kmsMasterKeyId' set to the platform key (the Warbler AWS kit does this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "SOC2-C1.1", "PCI-3.5.1", "GDPR-32", "MLPS-8.1.4.8"],
  resourceTypes: types,
  validateResource: forTypes<BucketArgs & BucketServerSideEncryptionConfigurationArgs>(types, (p, args, report) => {
    if (args.type === SSE) {
      for (const problem of ruleProblems((p.rules ?? []) as Rule[], "rules")) report(problem);
      return;
    }
    // On the bucket itself the setting is optional: the stack policy aws-s3-bucket-controls-attached requires the
    // separate resource.
    const inline = p.serverSideEncryptionConfiguration;
    if (inline)
      for (const problem of ruleProblems([inline.rule as Rule], "serverSideEncryptionConfiguration.rule"))
        report(problem);
  }),
};
