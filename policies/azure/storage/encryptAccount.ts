import type { StorageAccountArgs } from "@pulumi/azure-native/storage";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const azureStorageCmk: WarblerResourcePolicy = {
  id: "azure-storage-cmk-encryption",
  name: "Storage accounts encrypt with a customer-managed key",
  target: "azure",
  what:
    "Every storage account must encrypt blobs with a customer-managed Key Vault key ('Microsoft.Keyvault' key " +
    "source) through a managed identity.",
  why:
    "The storage account holds files users share in chats. Encryption with your own key keeps them unreadable " +
    "to anyone who cannot use that key and lets you revoke access.",
  fix:
    'Set \'encryption: { keySource: "Microsoft.Keyvault", keyVaultProperties: { keyName, keyVaultUri }, ' +
    "identity: { userAssignedIdentity } }' (the Warbler Azure kit does this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "SOC2-C1.1",
    "PCI-3.5.1",
    "GDPR-32",
    "CIS-AZ-STORAGE-CMK",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource: forTypes<StorageAccountArgs>(["azure-native:storage:StorageAccount"], (sa, _args, report) => {
    const enc = sa.encryption;
    if (String(enc?.keySource) !== "Microsoft.Keyvault")
      return report(
        `encryption.keySource (${JSON.stringify(enc?.keySource ?? "Microsoft.Storage")}) must be "Microsoft.Keyvault"`,
      );
    if (!isSet(enc?.keyVaultProperties?.keyName) || !isSet(enc?.keyVaultProperties?.keyVaultUri)) {
      report("encryption.keyVaultProperties must set keyName and keyVaultUri");
    }
  }),
};
