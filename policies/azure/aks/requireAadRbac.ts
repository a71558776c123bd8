import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const azureAksRbac: WarblerResourcePolicy = {
  id: "azure-aks-entra-rbac",
  name: "AKS uses Entra ID accounts and RBAC, not local accounts",
  target: "azure",
  what:
    "Every AKS cluster must have Kubernetes RBAC on, managed Entra ID (Azure AD) integration, and local " +
    "accounts disabled.",
  why:
    "The local admin certificate cannot be revoked per person and bypasses the organisation's sign-in controls " +
    "(MFA, leaver process); Entra ID makes every cluster action attributable.",
  fix:
    "Set 'enableRBAC: true', 'aadProfile: { managed: true, enableAzureRBAC: true }' and 'disableLocalAccounts: " +
    "true' (the Warbler Azure kit does this).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: [
    "ISO27001-A.8.5",
    "ISO27001-A.5.15",
    "SOC2-CC6.1",
    "SOC2-CC6.3",
    "PCI-7.2.1",
    "CIS-AKS-RBAC",
    "MLPS-8.1.4.2",
  ],
  resourceTypes: ["azure-native:containerservice:ManagedCluster"],
  validateResource: forTypes<ManagedClusterArgs>(
    ["azure-native:containerservice:ManagedCluster"],
    (c, _args, report) => {
      if (c.enableRBAC === false) report("enableRBAC is false");
      if (c.aadProfile?.managed !== true) report("aadProfile.managed is not true");
      if (c.disableLocalAccounts !== true) report("disableLocalAccounts is not true");
    },
  ),
};
