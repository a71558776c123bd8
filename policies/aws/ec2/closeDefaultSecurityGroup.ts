import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

const VPC = "aws:ec2/vpc:Vpc";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

/** Rules a managed default group still has, as the resource's inputs list them. */
function ruleCount(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

export const awsDefaultSecurityGroupClosed: WarblerStackPolicy = {
  id: "aws-ec2-default-security-group-closed",
  name: "Every VPC's default security group allows no traffic",
  target: "aws",
  what:
    "Every VPC in the stack must have its default security group managed by an 'aws.ec2.DefaultSecurityGroup' with " +
    "no ingress and no egress rules.",
  why:
    "AWS creates the default group allowing all traffic between its members and all outbound traffic; anything " +
    "launched without a group lands in it " +
    "(https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html). Emptying it means a mistake " +
    "isolates a resource instead of exposing it.",
  fix:
    "Create an 'aws.ec2.DefaultSecurityGroup' with 'vpcId' set to the VPC and 'ingress: []', 'egress: []' (the " +
    "Warbler AWS kit does this).",
  severity: "medium",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.20", "SOC2-CC6.6", "PCI-1.3.1", "CIS-AWS-DEFAULT-SG", "MLPS-8.1.3.2"],
  resourceTypes: [VPC, DEFAULT_SG],
  validateStack: (args, report) => {
    const vpcs = args.resources.filter((r) => r.type === VPC);
    if (vpcs.length === 0) args.notApplicable("the stack has no VPC");
    const groups = args.resources.filter((r) => r.type === DEFAULT_SG);
    for (const vpc of vpcs) {
      const group = groups.find((g) => refersTo(g, "vpcId", vpc));
      if (!group) {
        report(`VPC '${vpc.name}' leaves its default security group unmanaged, with AWS's allow rules`, vpc.urn);
        continue;
      }
      const rules = ruleCount(group.props.ingress) + ruleCount(group.props.egress);
      if (rules > 0) report(`the default security group of VPC '${vpc.name}' keeps ${rules} rule(s)`, group.urn);
    }
  },
};
