import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

export const alicloudVpcFlowLogs: WarblerStackPolicy = {
  id: "alicloud-vpc-flow-logs",
  name: "Every VPC records flow logs",
  target: "alicloud",
  what: "Every VPC in the stack must have an active VPC flow log. (InfraGuard vpc-flow-logs-enabled.)",
  why: "Flow logs record which addresses talked to which, and are the evidence needed to investigate data exfiltration or a compromised node; MLPS level 3 requires audit at the area boundary.",
  fix: "Create an 'alicloud.vpc.FlowLog' with 'resourceType: \"VPC\"', 'resourceId' set to the VPC and traffic type All.",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.15", "ISO27001-A.8.16", "SOC2-CC7.2", "PCI-10.2.1", "CIS-ALI-VPC-FLOW-LOGS", "MLPS-8.1.3.5"],
  resourceTypes: ["alicloud:vpc/network:Network", "alicloud:vpc/flowLog:FlowLog"],
  validateStack: (args, report) => {
    const vpcs = args.resources.filter((r) => r.type === "alicloud:vpc/network:Network");
    if (vpcs.length === 0) args.notApplicable("the stack has no VPC");
    const logs = args.resources.filter((r) => r.type === "alicloud:vpc/flowLog:FlowLog" && r.props.status !== "Inactive");
    for (const vpc of vpcs) {
      if (!logs.some((l) => refersTo(l, "resourceId", vpc))) report(`VPC '${vpc.name}' has no flow log`, vpc.urn);
    }
  },
};
