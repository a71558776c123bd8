import type { VaultArgs } from "@pulumi/azure-native/keyvault";
import { keyDeletionPolicy } from "../../common/keyDeletion";

export const azureKeyVaultRecoverable = keyDeletionPolicy<VaultArgs>({
  id: "azure-keyvault-purge-protection",
  name: "Key Vaults keep deleted keys recoverable",
  target: "azure",
  what: "Every Key Vault must have soft delete and purge protection on, with deleted items kept for at least 7 days.",
  why:
    "The vault holds the key that encrypts the cluster's secrets, the database and the storage account. If the " +
    "vault or key can be purged at once, one mistake or malicious act makes all that data unreadable for ever.",
  fix:
    "Set 'properties.enablePurgeProtection: true', leave 'enableSoftDelete' unset or true, and keep " +
    "'softDeleteRetentionInDays' at 7 or more (the Warbler Azure kit uses 90).",
  cisControl: "CIS-AZ-KV-RECOVERABLE",
  type: "azure-native:keyvault:Vault",
  window: {
    setting: "properties.softDeleteRetentionInDays",
    // Azure keeps deleted vaults and keys for 90 days when the retention is left unset.
    days: (vault) => vault.properties?.softDeleteRetentionInDays ?? 90,
    minimum: 7,
  },
  switches: [
    {
      setting: "properties.enablePurgeProtection",
      value: (vault) => vault.properties?.enablePurgeProtection,
      safe: true,
      unset: false,
    },
    {
      setting: "properties.enableSoftDelete",
      value: (vault) => vault.properties?.enableSoftDelete,
      safe: true,
      unset: true,
    },
  ],
});
