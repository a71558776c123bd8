import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const azureAksNodeDiskEncryption: WarblerResourcePolicy = {
  id: "azure-aks-node-disk-encryption",
  name: "AKS node disks are encrypted with a customer-managed key",
  target: "azure",
  what:
    "Every AKS cluster must encrypt its nodes' OS and data disks through a disk encryption set, that is with a " +
    "customer-managed key.",
  why:
    "Node disks hold container images, logs and emptyDir volumes (on the OS disk by default), which can include " +
    "message data. Platform-managed keys cannot be revoked by you.",
  fix:
    "Set 'diskEncryptionSetID' on the cluster to the platform disk encryption set (the Warbler Azure kit does " +
    "this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "PCI-3.5.1", "GDPR-32", "MLPS-8.1.4.8"],
  resourceTypes: ["azure-native:containerservice:ManagedCluster"],
  validateResource: forTypes<ManagedClusterArgs>(
    ["azure-native:containerservice:ManagedCluster"],
    (c, _args, report) => {
      if (!isSet(c.diskEncryptionSetID))
        report("diskEncryptionSetID is not set; node disks use a platform-managed key");
    },
  ),
};
