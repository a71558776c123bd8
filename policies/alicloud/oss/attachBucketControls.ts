import type { PolicyResource } from "@pulumi/policy";
import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

const BUCKET = "alicloud:oss/bucket:Bucket";

const companions: { what: string; inline?: string; type: string }[] = [
  {
    what: "KMS server-side encryption",
    inline: "serverSideEncryptionRule",
    type: "alicloud:oss/bucketServerSideEncryption:BucketServerSideEncryption",
  },
  { what: "bucket policy (to deny plain HTTP)", inline: "policy", type: "alicloud:oss/bucketPolicy:BucketPolicy" },
  { what: "HTTPS configuration (TLS 1.2+)", type: "alicloud:oss/bucketHttpsConfig:BucketHttpsConfig" },
  { what: "public access block", type: "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock" },
];

function has(resources: readonly PolicyResource[], bucket: PolicyResource, c: (typeof companions)[number]): boolean {
  if (c.inline && bucket.props[c.inline] !== undefined) return true;
  return resources.some((r) => r.type === c.type && refersTo(r, "bucket", bucket));
}

export const alicloudOssBucketControls: WarblerStackPolicy = {
  id: "alicloud-oss-bucket-controls-attached",
  name: "Every OSS bucket has its encryption, TLS and public-access controls attached",
  target: "alicloud",
  what:
    "Every OSS bucket in the stack must have KMS encryption, a bucket policy, an HTTPS configuration and a " +
    "public access block, on the bucket or as attached resources (their contents are checked by " +
    "alicloud-oss-encryption, alicloud-oss-tls and alicloud-oss-no-public-access).",
  why:
    "A bucket created without them silently gets weaker defaults, and the per-resource policies would have " +
    "nothing to check.",
  fix: "Attach the resources with 'bucket' set to the bucket's name, as the Warbler Alibaba kit does.",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "ISO27001-A.8.3",
    "SOC2-CC6.1",
    "PCI-3.5.1",
    "PCI-4.2.1",
    "GDPR-32",
    "CIS-ALI-OSS-ENCRYPTION",
    "CIS-ALI-OSS-HTTPS",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: [BUCKET, ...companions.map((c) => c.type)],
  validateStack: (args, report) => {
    const buckets = args.resources.filter((r) => r.type === BUCKET);
    if (buckets.length === 0) args.notApplicable("the stack has no OSS bucket");
    for (const bucket of buckets) {
      for (const c of companions)
        if (!has(args.resources, bucket, c)) report(`bucket '${bucket.name}' has no ${c.what}`, bucket.urn);
    }
  },
};
