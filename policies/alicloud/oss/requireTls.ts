import type { BucketArgs, BucketHttpsConfigArgs, BucketPolicyArgs } from "@pulumi/alicloud/oss";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { deniesInsecureTransport } from "../../props";

const BUCKET = "alicloud:oss/bucket:Bucket";
const POLICY = "alicloud:oss/bucketPolicy:BucketPolicy";
const HTTPS = "alicloud:oss/bucketHttpsConfig:BucketHttpsConfig";
const allowedTls = ["TLSv1.2", "TLSv1.3"];

export const alicloudOssTls: WarblerResourcePolicy = {
  id: "alicloud-oss-tls",
  name: "OSS buckets accept only HTTPS with TLS 1.2+",
  target: "alicloud",
  what:
    "Every OSS bucket policy must deny requests without TLS (acs:SecureTransport = false), and every bucket " +
    "HTTPS configuration must allow only TLS 1.2 and 1.3. (InfraGuard oss-bucket-only-https-enabled.)",
  why:
    "Without it, chat files and signed URLs can travel over plain HTTP or old TLS versions with known " +
    "weaknesses; MLPS level 3 requires confidentiality of data in transit.",
  fix:
    'Put a Deny statement with Condition { Bool: { "acs:SecureTransport": ["false"] } } in the bucket policy ' +
    "and attach an 'alicloud.oss.BucketHttpsConfig' with 'enable: true' and 'tlsVersions: [\"TLSv1.2\", " +
    '"TLSv1.3"]\' (the Warbler Alibaba kit does this).',
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "ISO27001-A.8.21",
    "SOC2-CC6.7",
    "PCI-4.2.1",
    "GDPR-32",
    "CIS-ALI-OSS-HTTPS",
    "MLPS-8.1.2.2",
  ],
  resourceTypes: [BUCKET, POLICY, HTTPS],
  validateResource: forTypes<BucketArgs & BucketPolicyArgs & BucketHttpsConfigArgs>(
    [BUCKET, POLICY, HTTPS],
    (p, args, report) => {
      if (args.type === HTTPS) {
        if (p.enable !== true) report("enable is not true; the TLS version restriction is off");
        const old = (p.tlsVersions ?? []).filter((v) => !allowedTls.includes(v));
        if ((p.tlsVersions ?? []).length === 0) report('tlsVersions is empty; set ["TLSv1.2", "TLSv1.3"]');
        else if (old.length > 0) report(`tlsVersions allow ${old.join(", ")}`);
        return;
      }
      // A bucket without an inline policy is checked through its BucketPolicy (alicloud-oss-bucket-controls-attached).
      if (args.type === BUCKET && p.policy === undefined) return;
      if (!deniesInsecureTransport(p.policy, "acs:SecureTransport"))
        report("the bucket policy has no Deny statement for acs:SecureTransport = false");
    },
  ),
};
