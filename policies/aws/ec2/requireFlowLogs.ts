import { flowLogsPolicy } from "../../common/flowLogs";

export const awsVpcFlowLogs = flowLogsPolicy({
  id: "aws-vpc-flow-logs",
  target: "aws",
  what: "Every VPC in the stack must have a VPC flow log attached.",
  why:
    "Flow logs record which addresses talked to which, and are the evidence needed to investigate data " +
    "exfiltration or a compromised node.",
  fix: "Create an 'aws.ec2.FlowLog' with 'vpcId' set to the VPC and traffic type ALL (the Warbler AWS kit does this).",
  cisControl: "CIS-AWS-FLOW-LOGS",
  networkType: "aws:ec2/vpc:Vpc",
  flowLogType: "aws:ec2/flowLog:FlowLog",
  networkRef: "vpcId",
});
