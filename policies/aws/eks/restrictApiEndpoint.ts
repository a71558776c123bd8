import type { ClusterArgs } from "@pulumi/aws/eks";
import { apiEndpointPolicy } from "../../common/apiEndpoint";

export const awsEksPrivateEndpoint = apiEndpointPolicy<ClusterArgs>({
  id: "aws-eks-private-endpoint",
  name: "EKS API server is private unless allow-listed",
  target: "aws",
  what:
    "The EKS Kubernetes API must be reachable over its private endpoint. A public endpoint is allowed only when " +
    "it is restricted to CIDRs that the pack config allow-lists, and never to the whole internet.",
  fix:
    "Leave 'warbler:cluster.publicAccessCidrs' empty (private endpoint only). If administrators need public " +
    "access, list their networks there and add the same CIDRs to this policy's 'allowedCidrs'.",
  cisControl: "CIS-EKS-PRIVATE-ENDPOINT",
  type: "aws:eks/cluster:Cluster",
  // AWS turns the public endpoint on, open to 0.0.0.0/0, when these are left unset.
  publicSources: ({ vpcConfig }) =>
    vpcConfig?.endpointPublicAccess === false ? [] : (vpcConfig?.publicAccessCidrs ?? ["0.0.0.0/0"]),
  allowList: true,
  remedy: "set endpointPublicAccess: false or restrict publicAccessCidrs to the allow-list",
  switches: [
    {
      setting: "vpcConfig.endpointPrivateAccess",
      value: ({ vpcConfig }) => vpcConfig?.endpointPrivateAccess,
      safe: true,
      unset: false,
    },
  ],
});
