import { flowLogsPolicy } from "../../common/flowLogs";

export const alicloudVpcFlowLogs = flowLogsPolicy({
  id: "alicloud-vpc-flow-logs",
  target: "alicloud",
  what: "Every VPC in the stack must have an active VPC flow log. (InfraGuard vpc-flow-logs-enabled.)",
  why:
    "Flow logs record which addresses talked to which, and are the evidence needed to investigate data " +
    "exfiltration or a compromised node; MLPS level 3 requires audit at the area boundary.",
  fix:
    "Create an 'alicloud.vpc.FlowLog' with 'resourceType: \"VPC\"', 'resourceId' set to the VPC and traffic " +
    "type All.",
  cisControl: "CIS-ALI-VPC-FLOW-LOGS",
  networkType: "alicloud:vpc/network:Network",
  flowLogType: "alicloud:vpc/flowLog:FlowLog",
  networkRef: "resourceId",
  isActive: (log) => log.props.status !== "Inactive",
});
