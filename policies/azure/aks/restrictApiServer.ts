import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice";
import { apiEndpointPolicy } from "../../common/apiEndpoint";

export const azureAksPrivateApi = apiEndpointPolicy<ManagedClusterArgs>({
  id: "azure-aks-private-endpoint",
  name: "AKS API server is private unless allow-listed",
  target: "azure",
  what:
    "The AKS API server must be a private cluster, or its public endpoint must be restricted to authorized IP " +
    "ranges that the pack config allow-lists, never the whole internet.",
  fix:
    "Leave 'warbler:cluster.publicAccessCidrs' empty (private cluster). If administrators need public access, " +
    "list their networks there and add the same CIDRs to this policy's 'allowedCidrs'.",
  cisControl: "CIS-AKS-PRIVATE-ENDPOINT",
  type: "azure-native:containerservice:ManagedCluster",
  // A public AKS API server with no authorized IP ranges admits the whole internet.
  publicSources: ({ apiServerAccessProfile: profile }) => {
    if (profile?.enablePrivateCluster === true) return [];
    const ranges = profile?.authorizedIPRanges ?? [];
    return ranges.length > 0 ? ranges : ["0.0.0.0/0"];
  },
  allowList: true,
  remedy: "set enablePrivateCluster: true or restrict authorizedIPRanges to the allow-list",
});
