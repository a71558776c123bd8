import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

const BUCKET = "alicloud:oss/bucket:Bucket";
const VERSIONING = "alicloud:oss/bucketVersioning:BucketVersioning";
const LOGGING = "alicloud:oss/bucketLogging:BucketLogging";

export const alicloudOssVersioningLogging: WarblerStackPolicy = {
  id: "alicloud-oss-versioning-logging",
  name: "OSS buckets keep versions and access logs",
  target: "alicloud",
  what:
    "Every OSS bucket should have versioning enabled and access logging to another bucket, set on the bucket or " +
    "through BucketVersioning / BucketLogging resources. (Checkov CKV_ALI_10, CKV_ALI_12; InfraGuard " +
    "oss-bucket-versioning-enabled, oss-bucket-logging-enabled.)",
  why: "Versioning keeps overwritten and deleted files recoverable; access logs show who downloaded which file.",
  fix:
    "Set 'versioning: { status: \"Enabled\" }' and 'logging: { targetBucket }' on the bucket, or attach the " +
    "equivalent resources.",
  severity: "low",
  enforcementLevel: "advisory",
  controls: [
    "ISO27001-A.8.13",
    "ISO27001-A.8.15",
    "SOC2-A1.2",
    "SOC2-CC7.2",
    "PCI-10.2.1",
    "CIS-ALI-OSS-LOGGING",
    "MLPS-8.1.4.9",
  ],
  resourceTypes: [BUCKET, VERSIONING, LOGGING],
  validateStack: (args, report) => {
    const buckets = args.resources.filter((r) => r.type === BUCKET);
    if (buckets.length === 0) args.notApplicable("the stack has no OSS bucket");
    for (const b of buckets) {
      const versioned =
        (b.props.versioning as { status?: string } | undefined)?.status === "Enabled" ||
        args.resources.some((r) => r.type === VERSIONING && r.props.status === "Enabled" && refersTo(r, "bucket", b));
      if (!versioned) report(`bucket '${b.name}' does not have versioning enabled`, b.urn);
      const logged =
        b.props.logging !== undefined || args.resources.some((r) => r.type === LOGGING && refersTo(r, "bucket", b));
      if (!logged) report(`bucket '${b.name}' has no access logging`, b.urn);
    }
  },
};
