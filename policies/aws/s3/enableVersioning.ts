import type { BucketVersioningArgs } from "@pulumi/aws/s3";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsS3Versioning: WarblerResourcePolicy = {
  id: "aws-s3-versioning",
  name: "S3 buckets keep object versions",
  target: "aws",
  what: "Every S3 bucket must have versioning enabled through a BucketVersioning resource.",
  why:
    "Versioning keeps overwritten and deleted files recoverable for the configured number of days, a cheap " +
    "guard against mistakes and ransomware.",
  fix:
    "Attach an 'aws.s3.BucketVersioning' with 'versioningConfiguration.status: \"Enabled\"' (the Warbler AWS " +
    "kit does this).",
  severity: "low",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.13", "SOC2-A1.2", "MLPS-8.1.4.9"],
  resourceTypes: ["aws:s3/bucketVersioning:BucketVersioning"],
  validateResource: forTypes<BucketVersioningArgs>(["aws:s3/bucketVersioning:BucketVersioning"], (p, _args, report) => {
    if (p.versioningConfiguration?.status !== "Enabled")
      report(`versioningConfiguration.status (${JSON.stringify(p.versioningConfiguration?.status)}) must be "Enabled"`);
  }),
};
