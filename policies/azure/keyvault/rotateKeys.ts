import type { KeyArgs } from "@pulumi/azure-native/keyvault";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

/** Longest allowed rotation period, as an ISO 8601 duration in days. */
function days(duration: string | undefined): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(duration ?? "");
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0);
}

export const azureKeyVaultKeyRotation: WarblerResourcePolicy = {
  id: "azure-keyvault-key-rotation",
  name: "Key Vault keys rotate automatically",
  target: "azure",
  what:
    "Every Key Vault key must have a rotation policy with an automatic 'Rotate' action at most one year after " +
    "creation.",
  why:
    "The key protects the cluster's secrets, the database and the storage account. Regular rotation limits how " +
    "much data one exposed key version can unlock and is a key-management requirement of PCI DSS and ISO 27001.",
  fix:
    "Set 'properties.rotationPolicy.lifetimeActions' to include { action: { type: \"rotate\" }, trigger: { " +
    'timeAfterCreate: "P1Y" } } or shorter (the Warbler Azure kit rotates every 365 days).',
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "PCI-3.6.1",
    "PCI-3.7.4",
    "GDPR-32",
    "CIS-AZ-KV-ROTATION",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["azure-native:keyvault:Key"],
  validateResource: forTypes<KeyArgs>(["azure-native:keyvault:Key"], (key, _args, report) => {
    const actions = key.properties?.rotationPolicy?.lifetimeActions ?? [];
    const rotate = actions.find((a) => String(a.action?.type).toLowerCase() === "rotate");
    if (!rotate) return report("properties.rotationPolicy has no automatic 'rotate' lifetime action");
    const after = days(rotate.trigger?.timeAfterCreate) ?? days(rotate.trigger?.timeBeforeExpiry);
    if (after === undefined) report("the rotate action has no trigger (timeAfterCreate or timeBeforeExpiry)");
    else if (rotate.trigger?.timeAfterCreate && after > 365)
      report(`the key rotates after ${rotate.trigger.timeAfterCreate}; at most P1Y is allowed`);
  }),
};
