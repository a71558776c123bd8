import type { BlobContainerArgs, StorageAccountArgs } from "@pulumi/azure-native/storage";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

const ACCOUNT = "azure-native:storage:StorageAccount";
const CONTAINER = "azure-native:storage:BlobContainer";

export const azureStorageNoPublic: WarblerResourcePolicy = {
  id: "azure-storage-no-public-access",
  name: "Storage accounts allow no anonymous blob access",
  target: "azure",
  what: "Every storage account must disallow anonymous (public) blob access, and no blob container may be public.",
  why: "A public container publishes every file shared in chats to anyone who guesses or finds the URL.",
  fix:
    "Set 'allowBlobPublicAccess: false' on the account and leave each container's 'publicAccess' unset or " +
    '"None" (the Warbler Azure kit does this).',
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.3",
    "ISO27001-A.8.12",
    "SOC2-CC6.1",
    "SOC2-CC6.6",
    "PCI-1.4.4",
    "GDPR-25",
    "GDPR-32",
    "CIS-AZ-STORAGE-PUBLIC",
    "MLPS-8.1.4.2",
  ],
  resourceTypes: [ACCOUNT, CONTAINER],
  validateResource: forTypes<StorageAccountArgs & BlobContainerArgs>([ACCOUNT, CONTAINER], (p, args, report) => {
    if (args.type === ACCOUNT) {
      if (p.allowBlobPublicAccess !== false) report("allowBlobPublicAccess is not false");
    } else if (p.publicAccess !== undefined && String(p.publicAccess) !== "None") {
      report(`publicAccess is ${JSON.stringify(p.publicAccess)}; it must be "None"`);
    }
  }),
};
