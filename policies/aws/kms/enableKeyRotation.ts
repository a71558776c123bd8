import type { KeyArgs } from "@pulumi/aws/kms";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsKmsKeyRotation: WarblerResourcePolicy = {
  id: "aws-kms-key-rotation",
  name: "KMS keys rotate automatically",
  target: "aws",
  what:
    "Every customer-managed KMS key must have automatic key rotation turned on, with a rotation period of at " +
    "most one year.",
  why:
    "The key protects the cluster's secrets, the database, the file bucket and the disks. Rotating it limits " +
    "how much data one exposed key version can unlock and is a key-management requirement of PCI DSS and ISO " +
    "27001.",
  fix:
    "Set 'enableKeyRotation: true' on the key (the Warbler AWS kit does this by default) and leave " +
    "'rotationPeriodInDays' unset or at 365 or fewer.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "PCI-3.6.1",
    "PCI-3.7.4",
    "GDPR-32",
    "CIS-AWS-KMS-ROTATION",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["aws:kms/key:Key"],
  validateResource: forTypes<KeyArgs>(["aws:kms/key:Key"], (key, _args, report) => {
    if (key.enableKeyRotation !== true) report("automatic key rotation is off; set enableKeyRotation: true");
    else if (typeof key.rotationPeriodInDays === "number" && key.rotationPeriodInDays > 365) {
      report(`rotationPeriodInDays (${key.rotationPeriodInDays}) must be 365 or fewer`);
    }
  }),
};
