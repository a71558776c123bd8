import type { PolicyResource } from "@pulumi/policy";
import { type PolicyText, textOf, type WarblerStackPolicy } from "../policy";
import { refersTo } from "../props";

/** What one cloud's flow-log rule needs besides its words. */
export interface FlowLogs extends Omit<PolicyText, "name"> {
  /** The cloud's CIS control for flow logs. */
  readonly cisControl: string;
  readonly networkType: string;
  readonly flowLogType: string;
  /** The flow log input that names the network it records. */
  readonly networkRef: string;
  /** @default every flow log counts */
  readonly isActive?: (log: PolicyResource) => boolean;
}

/** A stack policy: a flow log is its own resource that points at the network, so one resource alone cannot tell. */
export function flowLogsPolicy(c: FlowLogs): WarblerStackPolicy {
  return {
    ...textOf({ ...c, name: "Every VPC records flow logs" }),
    severity: "medium",
    enforcementLevel: "advisory",
    controls: ["ISO27001-A.8.15", "ISO27001-A.8.16", "SOC2-CC7.2", "PCI-10.2.1", c.cisControl, "MLPS-8.1.3.5"],
    resourceTypes: [c.networkType, c.flowLogType],
    validateStack: (args, report) => {
      const networks = args.resources.filter((r) => r.type === c.networkType);
      if (networks.length === 0) args.notApplicable("the stack has no VPC");
      const logs = args.resources.filter((r) => r.type === c.flowLogType && (c.isActive?.(r) ?? true));
      for (const network of networks) {
        if (!logs.some((l) => refersTo(l, c.networkRef, network)))
          report(`VPC '${network.name}' has no flow log`, network.urn);
      }
    },
  };
}
