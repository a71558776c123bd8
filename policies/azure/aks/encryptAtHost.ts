import type { AgentPoolArgs, ManagedClusterArgs } from "@pulumi/azure-native/containerservice";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const POOL = "azure-native:containerservice:AgentPool";

export const azureAksEncryptionAtHost: WarblerResourcePolicy = {
  id: "azure-aks-encryption-at-host",
  name: "AKS node pools encrypt at host",
  target: "azure",
  what:
    "Every AKS node pool should turn on encryption at host, which also encrypts the VM's temporary disk and " +
    "disk caches.",
  why:
    "The disk encryption set (a mandatory policy) covers the managed OS and data disks, where AKS keeps " +
    "emptyDir volumes by default; encryption at host closes the remaining gap of temporary disks and caches. It " +
    "needs the EncryptionAtHost feature registered on the subscription, so it is advisory.",
  fix:
    "Register the 'Microsoft.Compute/EncryptionAtHost' feature, then set 'enableEncryptionAtHost: true' on each " +
    "pool (agentPoolProfiles and AgentPool resources).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "PCI-3.5.1", "MLPS-8.1.4.8"],
  resourceTypes: [CLUSTER, POOL],
  validateResource: forTypes<ManagedClusterArgs & AgentPoolArgs>([CLUSTER, POOL], (p, args, report) => {
    if (args.type === CLUSTER) {
      (p.agentPoolProfiles ?? []).forEach((pool, i) => {
        if (pool.enableEncryptionAtHost !== true)
          report(`agentPoolProfiles[${i}] (${pool.name}) does not set enableEncryptionAtHost: true`);
      });
      return;
    }
    if (p.enableEncryptionAtHost !== true) report("enableEncryptionAtHost is not true");
  }),
};
