import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";
import { cidrAllowed, isAnywhere } from "../../props";

export const azureAksPrivateApi: WarblerResourcePolicy = {
  id: "azure-aks-private-endpoint",
  name: "AKS API server is private unless allow-listed",
  target: "azure",
  what: "The AKS API server must be a private cluster, or its public endpoint must be restricted to authorized IP ranges that the pack config allow-lists, never the whole internet.",
  why: "The API server controls every workload and secret in the cluster. Exposing it to the internet invites credential-stuffing and exploits of API server vulnerabilities.",
  fix: "Leave 'warbler:cluster.publicAccessCidrs' empty (private cluster). If administrators need public access, list their networks there and add the same CIDRs to this policy's 'allowedCidrs'.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.20", "ISO27001-A.8.22", "SOC2-CC6.6", "PCI-1.3.1", "PCI-1.4.1", "CIS-AKS-PRIVATE-ENDPOINT", "MLPS-8.1.3.1"],
  resourceTypes: ["azure-native:containerservice:ManagedCluster"],
  configSchema: {
    properties: {
      allowedCidrs: { type: "array", items: { type: "string" }, default: [], description: "CIDRs a public API endpoint may be opened to." },
    },
  },
  validateResource: forTypes<ManagedClusterArgs>(["azure-native:containerservice:ManagedCluster"], (c, args, report) => {
    const profile = c.apiServerAccessProfile ?? {};
    if (profile.enablePrivateCluster === true) return;
    const ranges = profile.authorizedIPRanges ?? [];
    if (ranges.length === 0) return report("the API server is public and open to the internet; set enablePrivateCluster: true or authorizedIPRanges");
    const { allowedCidrs } = configOf<{ allowedCidrs: string[] }>(azureAksPrivateApi, args);
    const bad = ranges.filter((r) => isAnywhere(r) || !cidrAllowed(r, allowedCidrs));
    if (bad.length > 0) report(`authorizedIPRanges include ${bad.join(", ")}, which the allow-list (${allowedCidrs.join(", ") || "empty"}) does not cover`);
  }),
};
