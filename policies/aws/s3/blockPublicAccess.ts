import type { BucketArgs, BucketOwnershipControlsArgs, BucketPublicAccessBlockArgs } from "@pulumi/aws/s3";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const types = ["aws:s3/bucket:Bucket", PAB, OWNERSHIP];
const switches = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const awsS3PublicAccess: WarblerResourcePolicy = {
  id: "aws-s3-no-public-access",
  name: "S3 buckets block all public access",
  target: "aws",
  what:
    "Every S3 bucket must have all four 'Block Public Access' switches on, must not use a public canned ACL, " +
    "and, where object ownership is set, must disable ACLs (BucketOwnerEnforced).",
  why:
    "A public bucket publishes every file shared in chats to anyone who guesses or finds the URL. Block Public " +
    "Access stops a later ACL or bucket policy from opening it by mistake.",
  fix:
    "Attach an 'aws.s3.BucketPublicAccessBlock' with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and " +
    "restrictPublicBuckets all true, and leave the bucket ACL private (the Warbler AWS kit does this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.3",
    "ISO27001-A.8.12",
    "SOC2-CC6.1",
    "SOC2-CC6.6",
    "PCI-1.4.4",
    "GDPR-25",
    "GDPR-32",
    "CIS-AWS-S3-PUBLIC",
    "MLPS-8.1.4.2",
  ],
  resourceTypes: types,
  validateResource: forTypes<BucketArgs & BucketPublicAccessBlockArgs & BucketOwnershipControlsArgs>(
    types,
    (p, args, report) => {
      if (args.type === OWNERSHIP) {
        if (p.rule?.objectOwnership !== "BucketOwnerEnforced")
          report(
            `rule.objectOwnership (${JSON.stringify(p.rule?.objectOwnership)}) must be "BucketOwnerEnforced" ` +
              `so ACLs cannot grant access`,
          );
        return;
      }
      if (args.type === PAB) {
        const off = switches.filter((s) => p[s] !== true);
        if (off.length > 0) report(`${off.join(", ")} must be true`);
        return;
      }
      if (["public-read", "public-read-write", "authenticated-read"].includes(String(p.acl)))
        report(`acl '${p.acl}' makes the bucket public`);
    },
  ),
};
