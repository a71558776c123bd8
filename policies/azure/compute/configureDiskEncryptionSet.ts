import type { DiskEncryptionSetArgs } from "@pulumi/azure-native/compute";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const azureDiskEncryptionSet: WarblerResourcePolicy = {
  id: "azure-disk-encryption-set-cmk",
  name: "Disk encryption sets use the platform key and follow its rotation",
  target: "azure",
  what:
    "Every disk encryption set must encrypt at rest with a customer-managed Key Vault key and follow the key's " +
    "latest version automatically.",
  why:
    "Node disks and the encrypted StorageClass's persistent volumes are encrypted through this set. Without " +
    "automatic version tracking, key rotation would not reach the disks.",
  fix:
    "Set 'encryptionType' to \"EncryptionAtRestWithCustomerKey\" (or " +
    "\"EncryptionAtRestWithPlatformAndCustomerKeys\"), 'activeKey.keyUrl' to the platform key and " +
    "'rotationToLatestKeyVersionEnabled: true'.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "PCI-3.5.1", "PCI-3.7.4", "GDPR-32", "MLPS-8.1.4.8"],
  resourceTypes: ["azure-native:compute:DiskEncryptionSet"],
  validateResource: forTypes<DiskEncryptionSetArgs>(
    ["azure-native:compute:DiskEncryptionSet"],
    (des, _args, report) => {
      const type = String(des.encryptionType ?? "EncryptionAtRestWithCustomerKey");
      if (!type.includes("CustomerKey")) report(`encryptionType (${type}) must use a customer key`);
      if (!isSet(des.activeKey?.keyUrl)) report("activeKey.keyUrl is not set");
      if (des.rotationToLatestKeyVersionEnabled !== true)
        report("rotationToLatestKeyVersionEnabled is not true; rotated key versions would not be used");
    },
  ),
};
