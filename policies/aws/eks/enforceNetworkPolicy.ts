import type { AddonArgs } from "@pulumi/aws/eks";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

const ADDON = "aws:eks/addon:Addon";

/** The add-on's configuration as JSON, or undefined when it is absent or not a JSON object. */
function configuration(values: unknown): Record<string, unknown> | undefined {
  if (typeof values !== "string") return undefined;
  try {
    const parsed = JSON.parse(values) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const awsEksNetworkPolicy: WarblerResourcePolicy = {
  id: "aws-eks-network-policy-enforced",
  name: "The VPC CNI enforces Kubernetes NetworkPolicies",
  target: "aws",
  what:
    "The EKS 'vpc-cni' add-on must be configured with enableNetworkPolicy \"true\", so that NetworkPolicies are " +
    "enforced on the nodes.",
  why:
    "The VPC CNI accepts NetworkPolicy objects but enforces none of them until its network policy agent is turned " +
    "on (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html). The IM namespace's " +
    "default-deny and every allow rule would otherwise be decoration.",
  fix:
    'Set configurationValues to \'{"enableNetworkPolicy":"true"}\' on the vpc-cni add-on (the Warbler AWS kit ' +
    "does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.22", "SOC2-CC6.6", "PCI-1.3.1", "CIS-EKS-NETWORK-POLICY", "MLPS-8.1.3.2"],
  resourceTypes: [ADDON],
  validateResource: forTypes<AddonArgs>([ADDON], (addon, args, report) => {
    if (addon.addonName !== "vpc-cni") args.notApplicable("applies to the vpc-cni add-on only");
    const values = configuration(addon.configurationValues);
    if (values?.enableNetworkPolicy !== "true")
      report(
        `configurationValues must set enableNetworkPolicy to "true" (found ${JSON.stringify(
          values?.enableNetworkPolicy ?? addon.configurationValues ?? null,
        )}); NetworkPolicies are not enforced`,
      );
  }),
};
