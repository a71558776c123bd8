import type { StorageAccountArgs } from "@pulumi/azure-native/storage";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const azureStorageTls: WarblerResourcePolicy = {
  id: "azure-storage-tls",
  name: "Storage accounts accept only HTTPS with TLS 1.2+",
  target: "azure",
  what: "Every storage account must require secure transfer (HTTPS only) and a minimum TLS version of 1.2.",
  why:
    "Without it, chat files and access signatures can travel over plain HTTP or old TLS versions with known " +
    "weaknesses.",
  fix:
    "Leave 'enableHttpsTrafficOnly' true (the default) and set 'minimumTlsVersion: \"TLS1_2\"' (the Warbler " +
    "Azure kit does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "ISO27001-A.8.21",
    "SOC2-CC6.7",
    "PCI-4.2.1",
    "GDPR-32",
    "CIS-AZ-STORAGE-SECURE-TRANSFER",
    "CIS-AZ-STORAGE-TLS12",
    "MLPS-8.1.2.2",
  ],
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource: forTypes<StorageAccountArgs>(["azure-native:storage:StorageAccount"], (sa, _args, report) => {
    if (sa.enableHttpsTrafficOnly === false) report("enableHttpsTrafficOnly is false");
    if (!["TLS1_2", "TLS1_3"].includes(String(sa.minimumTlsVersion))) {
      report(`minimumTlsVersion (${JSON.stringify(sa.minimumTlsVersion ?? "unset")}) must be "TLS1_2" or "TLS1_3"`);
    }
  }),
};
