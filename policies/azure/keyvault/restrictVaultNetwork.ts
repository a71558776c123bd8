import type { VaultArgs } from "@pulumi/azure-native/keyvault";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isAnywhere } from "../../props";

export const azureKeyVaultNetwork: WarblerResourcePolicy = {
  id: "azure-keyvault-network-restricted",
  name: "Key Vaults are not open to the internet",
  target: "azure",
  what:
    "Every Key Vault must either disable public network access or deny it by default through its network rules " +
    "(allowing trusted Azure services), with no rule admitting the whole internet.",
  why:
    "A vault reachable from anywhere relies on credentials alone; restricting the network means a stolen " +
    "credential is not enough to unwrap the platform key.",
  fix:
    'Set \'properties.publicNetworkAccess: "Disabled"\' or \'properties.networkAcls: { defaultAction: "Deny", ' +
    'bypass: "AzureServices" }\' (the Warbler Azure kit does the latter).',
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.20",
    "ISO27001-A.8.24",
    "SOC2-CC6.6",
    "PCI-1.3.1",
    "PCI-3.6.1",
    "CIS-AZ-KV-PRIVATE",
    "MLPS-8.1.3.1",
  ],
  resourceTypes: ["azure-native:keyvault:Vault"],
  validateResource: forTypes<VaultArgs>(["azure-native:keyvault:Vault"], (vault, _args, report) => {
    const p = vault.properties ?? ({} as NonNullable<typeof vault.properties>);
    if (String(p.publicNetworkAccess).toLowerCase() === "disabled") return;
    if (p.networkAcls?.defaultAction !== "Deny")
      report('public network access is on and networkAcls.defaultAction is not "Deny"');
    const open = (p.networkAcls?.ipRules ?? []).map((r) => r.value).filter(isAnywhere);
    if (open.length > 0) report(`networkAcls.ipRules admit ${open.join(", ")}`);
  }),
};
