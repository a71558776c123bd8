import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

/** The companion resources every bucket needs, by the policy that checks each one's content. */
const companions = [
  {
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    what: "server-side encryption configuration",
    inline: "serverSideEncryptionConfiguration",
  },
  { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", what: "public access block" },
  { type: "aws:s3/bucketPolicy:BucketPolicy", what: "bucket policy (to deny plain HTTP)", inline: "policy" },
] as const;

export const awsS3BucketControls: WarblerStackPolicy = {
  id: "aws-s3-bucket-controls-attached",
  name: "Every S3 bucket has its encryption, public-access and TLS controls attached",
  target: "aws",
  what:
    "Every S3 bucket in the stack must have a server-side encryption configuration, a public access block and a " +
    "bucket policy attached to it (their contents are checked by aws-s3-bucket-encryption, " +
    "aws-s3-no-public-access and aws-s3-tls-only).",
  why:
    "Those controls are separate resources in AWS; a bucket created without them silently gets weaker defaults, " +
    "and the per-resource policies would have nothing to check.",
  fix: "Create the three resources with 'bucket' set to the bucket's id, as the Warbler AWS kit does.",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "ISO27001-A.8.3",
    "SOC2-CC6.1",
    "PCI-3.5.1",
    "PCI-4.2.1",
    "GDPR-32",
    "CIS-AWS-S3-PUBLIC",
    "CIS-AWS-S3-TLS",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["aws:s3/bucket:Bucket", ...companions.map((c) => c.type)],
  validateStack: (args, report) => {
    const buckets = args.resources.filter((r) => r.type === "aws:s3/bucket:Bucket");
    if (buckets.length === 0) args.notApplicable("the stack has no S3 bucket");
    for (const bucket of buckets) {
      for (const c of companions) {
        const inlineSet = "inline" in c && bucket.props[c.inline] !== undefined;
        const attached = args.resources.some((r) => r.type === c.type && refersTo(r, "bucket", bucket));
        if (!attached && !inlineSet) report(`bucket '${bucket.name}' has no ${c.what} attached`, bucket.urn);
      }
    }
  },
};
