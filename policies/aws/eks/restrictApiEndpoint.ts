import type { ClusterArgs } from "@pulumi/aws/eks";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";
import { cidrAllowed, isAnywhere } from "../../props";

export const awsEksPrivateEndpoint: WarblerResourcePolicy = {
  id: "aws-eks-private-endpoint",
  name: "EKS API server is private unless allow-listed",
  target: "aws",
  what: "The EKS Kubernetes API must be reachable over its private endpoint. A public endpoint is allowed only when it is restricted to CIDRs that the pack config allow-lists, and never to the whole internet.",
  why: "The API server controls every workload and secret in the cluster. Exposing it to the internet invites credential-stuffing and exploits of API server vulnerabilities.",
  fix: "Leave 'warbler:cluster.publicAccessCidrs' empty (private endpoint only). If administrators need public access, list their networks there and add the same CIDRs to this policy's 'allowedCidrs'.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.20", "ISO27001-A.8.22", "SOC2-CC6.6", "PCI-1.3.1", "PCI-1.4.1", "CIS-EKS-PRIVATE-ENDPOINT", "MLPS-8.1.3.1"],
  resourceTypes: ["aws:eks/cluster:Cluster"],
  configSchema: {
    properties: {
      allowedCidrs: { type: "array", items: { type: "string" }, default: [], description: "CIDRs a public API endpoint may be opened to." },
    },
  },
  validateResource: forTypes<ClusterArgs>(["aws:eks/cluster:Cluster"], (cluster, args, report) => {
    const vpc: Partial<NonNullable<typeof cluster.vpcConfig>> = cluster.vpcConfig ?? {};
    if (vpc.endpointPrivateAccess !== true) report("vpcConfig.endpointPrivateAccess must be true");
    // AWS turns the public endpoint on, open to 0.0.0.0/0, when these are left unset.
    if (vpc.endpointPublicAccess === false) return;
    const cidrs = vpc.publicAccessCidrs ?? ["0.0.0.0/0"];
    const { allowedCidrs } = configOf<{ allowedCidrs: string[] }>(awsEksPrivateEndpoint, args);
    const bad = cidrs.filter((c) => isAnywhere(c) || !cidrAllowed(c, allowedCidrs));
    if (bad.length > 0) report(`public API endpoint is open to ${bad.join(", ")}; set endpointPublicAccess: false or restrict publicAccessCidrs to the allow-list (${allowedCidrs.join(", ") || "empty"})`);
  }),
};
