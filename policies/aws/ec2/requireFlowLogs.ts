import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

export const awsVpcFlowLogs: WarblerStackPolicy = {
  id: "aws-vpc-flow-logs",
  name: "Every VPC records flow logs",
  target: "aws",
  what: "Every VPC in the stack must have a VPC flow log attached.",
  why: "Flow logs record which addresses talked to which, and are the evidence needed to investigate data exfiltration or a compromised node.",
  fix: "Create an 'aws.ec2.FlowLog' with 'vpcId' set to the VPC and traffic type ALL (the Warbler AWS kit does this).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.15", "ISO27001-A.8.16", "SOC2-CC7.2", "PCI-10.2.1", "CIS-AWS-FLOW-LOGS", "MLPS-8.1.3.5"],
  resourceTypes: ["aws:ec2/vpc:Vpc", "aws:ec2/flowLog:FlowLog"],
  validateStack: (args, report) => {
    const vpcs = args.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc");
    if (vpcs.length === 0) args.notApplicable("the stack has no VPC");
    const logs = args.resources.filter((r) => r.type === "aws:ec2/flowLog:FlowLog");
    for (const vpc of vpcs) {
      if (!logs.some((l) => refersTo(l, "vpcId", vpc))) report(`VPC '${vpc.name}' has no flow log`, vpc.urn);
    }
  },
};
