import type { StorageAccountArgs } from "@pulumi/azure-native/storage";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const azureStorageHardening: WarblerResourcePolicy = {
  id: "azure-storage-identity-access",
  name: "Storage accounts use identities, not shared keys, behind network rules",
  target: "azure",
  what:
    "Every storage account should disable shared-key (account key) access and deny network access by default, " +
    "admitting only the cluster's subnets or private endpoints.",
  why:
    "Account keys grant full access, never expire and cannot be attributed to a person or workload; workload " +
    "identities can. Network rules add a second barrier if a credential leaks.",
  fix:
    "Set 'allowSharedKeyAccess: false' and 'networkRuleSet: { defaultAction: \"Deny\", virtualNetworkRules: " +
    "[...] }' or 'publicNetworkAccess: \"Disabled\"'.",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: [
    "ISO27001-A.8.5",
    "ISO27001-A.8.20",
    "SOC2-CC6.1",
    "PCI-7.2.1",
    "CIS-AZ-STORAGE-SHARED-KEY",
    "CIS-AZ-STORAGE-NETWORK",
    "MLPS-8.1.3.2",
  ],
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource: forTypes<StorageAccountArgs>(["azure-native:storage:StorageAccount"], (sa, _args, report) => {
    if (sa.allowSharedKeyAccess !== false) report("allowSharedKeyAccess is not false");
    const closed = String(sa.publicNetworkAccess) === "Disabled" || String(sa.networkRuleSet?.defaultAction) === "Deny";
    if (!closed)
      report(
        'network access is not denied by default (networkRuleSet.defaultAction "Deny" or publicNetworkAccess ' +
          '"Disabled")',
      );
  }),
};
