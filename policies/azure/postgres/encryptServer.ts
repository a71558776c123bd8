import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const azurePostgresCmk: WarblerResourcePolicy = {
  id: "azure-postgres-cmk-encryption",
  name: "PostgreSQL Flexible Server is encrypted with a customer-managed key",
  target: "azure",
  what:
    "Every PostgreSQL Flexible Server must encrypt its data with a customer-managed Key Vault key through a " +
    "user-assigned identity.",
  why:
    "The database holds every user account, roster and archived message. Encryption with your own key covers " +
    "its disks and backups, and lets you revoke access to all of them at once.",
  fix:
    'Set \'dataEncryption: { type: "AzureKeyVault", primaryKeyURI: <key URI>, primaryUserAssignedIdentityId: ' +
    "<identity id> }' and the matching 'identity' (the Warbler Azure kit does this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "SOC2-C1.1", "PCI-3.5.1", "GDPR-32", "MLPS-8.1.4.8"],
  resourceTypes: ["azure-native:dbforpostgresql:Server"],
  validateResource: forTypes<ServerArgs>(["azure-native:dbforpostgresql:Server"], (s, _args, report) => {
    const enc = s.dataEncryption;
    if (String(enc?.type) !== "AzureKeyVault")
      return report(`dataEncryption.type (${JSON.stringify(enc?.type ?? "SystemManaged")}) must be "AzureKeyVault"`);
    if (!isSet(enc?.primaryKeyURI)) report("dataEncryption.primaryKeyURI is not set");
    if (!isSet(enc?.primaryUserAssignedIdentityId)) report("dataEncryption.primaryUserAssignedIdentityId is not set");
  }),
};
