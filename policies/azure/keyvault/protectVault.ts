import type { VaultArgs } from "@pulumi/azure-native/keyvault";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const azureKeyVaultRecoverable: WarblerResourcePolicy = {
  id: "azure-keyvault-purge-protection",
  name: "Key Vaults keep deleted keys recoverable",
  target: "azure",
  what: "Every Key Vault must have soft delete and purge protection on, with deleted items kept for at least 7 days.",
  why: "The vault holds the key that encrypts the cluster's secrets, the database and the storage account. If the vault or key can be purged at once, one mistake or malicious act makes all that data unreadable for ever.",
  fix: "Set 'properties.enablePurgeProtection: true', leave 'enableSoftDelete' unset or true, and keep 'softDeleteRetentionInDays' at 7 or more (the Warbler Azure kit uses 90).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "ISO27001-A.8.13", "SOC2-A1.2", "PCI-3.6.1", "GDPR-32", "CIS-AZ-KV-RECOVERABLE", "MLPS-8.1.4.9"],
  resourceTypes: ["azure-native:keyvault:Vault"],
  validateResource: forTypes<VaultArgs>(["azure-native:keyvault:Vault"], (vault, _args, report) => {
    const p = vault.properties ?? ({} as NonNullable<typeof vault.properties>);
    if (p.enablePurgeProtection !== true) report("properties.enablePurgeProtection is not true");
    if (p.enableSoftDelete === false) report("properties.enableSoftDelete is false");
    if (p.softDeleteRetentionInDays !== undefined && p.softDeleteRetentionInDays < 7) {
      report(`properties.softDeleteRetentionInDays (${p.softDeleteRetentionInDays}) must be at least 7`);
    }
  }),
};
