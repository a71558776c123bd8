import type { BucketAclArgs, BucketArgs, BucketPublicAccessBlockArgs } from "@pulumi/alicloud/oss";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

const BUCKET = "alicloud:oss/bucket:Bucket";
const ACL = "alicloud:oss/bucketAcl:BucketAcl";
const BLOCK = "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock";

export const alicloudOssPrivate: WarblerResourcePolicy = {
  id: "alicloud-oss-no-public-access",
  name: "OSS buckets are private",
  target: "alicloud",
  what:
    "No OSS bucket may have a public-read or public-read-write ACL, and a bucket's public access block, where " +
    "set, must block public access. (Checkov CKV_ALI_1, InfraGuard oss-bucket-public-read-prohibited / " +
    "oss-bucket-public-write-prohibited.)",
  why: "A public bucket publishes every file shared in chats to anyone who guesses or finds the URL.",
  fix:
    "Leave the bucket ACL \"private\" (the default) and attach an 'alicloud.oss.BucketPublicAccessBlock' with " +
    "'blockPublicAccess: true' (the Warbler Alibaba kit does this).",
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
    "CIS-ALI-OSS-PUBLIC",
    "MLPS-8.1.4.2",
  ],
  resourceTypes: [BUCKET, ACL, BLOCK],
  validateResource: forTypes<BucketArgs & BucketAclArgs & BucketPublicAccessBlockArgs>(
    [BUCKET, ACL, BLOCK],
    (p, args, report) => {
      if (args.type === BLOCK) {
        if (p.blockPublicAccess !== true) report("blockPublicAccess is not true");
        return;
      }
      if (["public-read", "public-read-write"].includes(String(p.acl)))
        report(`acl '${p.acl}' makes the bucket public`);
    },
  ),
};
