import type { InstanceArgs } from "@pulumi/alicloud/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isOn, isSet } from "../../props";

export const alicloudRdsEncryption: WarblerResourcePolicy = {
  id: "alicloud-rds-encryption",
  name: "ApsaraDB RDS is encrypted with a customer-managed key",
  target: "alicloud",
  what:
    "Every ApsaraDB RDS instance must encrypt its cloud disk with a customer-managed KMS key ('encryptionKey'), " +
    "or use TDE. (Checkov CKV_ALI_22, InfraGuard rds-instance-enabled-disk-encryption / " +
    "rds-instance-enabled-tde-disk-encryption.)",
  why:
    "The database holds every user account, roster and archived message. Encryption with your own key covers " +
    "its disks and backups and lets you revoke access to all of them; MLPS level 3 requires cryptographic " +
    "protection of important data in storage.",
  fix:
    "Set 'encryptionKey' to the platform KMS key id and 'roleArn' to the RDS service role allowed to use it " +
    "(the Warbler Alibaba kit does this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "SOC2-C1.1", "PCI-3.5.1", "GDPR-32", "CIS-ALI-RDS-TDE", "MLPS-8.1.4.8"],
  resourceTypes: ["alicloud:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["alicloud:rds/instance:Instance"], (db, _args, report) => {
    if (!isSet(db.encryptionKey) && !isOn(db.tdeStatus))
      report(
        "neither encryptionKey (cloud disk encryption) nor tdeStatus is set; the database is not encrypted " +
          "with a customer-managed key",
      );
  }),
};
