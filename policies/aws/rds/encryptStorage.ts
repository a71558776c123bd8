import type { InstanceArgs } from "@pulumi/aws/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const awsRdsStorageEncryption: WarblerResourcePolicy = {
  id: "aws-rds-storage-encryption",
  name: "RDS storage is encrypted with a customer-managed key",
  target: "aws",
  what:
    "Every RDS database instance must have storage encryption on with a customer-managed KMS key, and its " +
    "Performance Insights data, if on, must use a customer-managed key too.",
  why:
    "The database holds every user account, roster and archived message. Encryption with your own key protects " +
    "its disks, snapshots and backups, and lets you revoke access to all of them at once.",
  fix:
    "Set 'storageEncrypted: true' and 'kmsKeyId' to the platform key ARN (the Warbler AWS kit does this); with " +
    "Performance Insights on, also set 'performanceInsightsKmsKeyId'.",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "SOC2-C1.1",
    "PCI-3.5.1",
    "GDPR-32",
    "CIS-AWS-RDS-ENCRYPTION",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["aws:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["aws:rds/instance:Instance"], (db, _args, report) => {
    if (db.storageEncrypted !== true) return report("storageEncrypted is not true; the database is stored unencrypted");
    if (!isSet(db.kmsKeyId))
      report("kmsKeyId is not set; the database is encrypted with the AWS-managed key, not the platform key");
    if (db.performanceInsightsEnabled === true && !isSet(db.performanceInsightsKmsKeyId)) {
      report("Performance Insights is on without performanceInsightsKmsKeyId");
    }
  }),
};
