import type { NodePoolArgs } from "@pulumi/alicloud/cs";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const alicloudAckNodePoolHardening: WarblerResourcePolicy = {
  id: "alicloud-ack-node-pool-hardening",
  name: "ACK nodes have no public IP and repair themselves",
  target: "alicloud",
  what:
    "ACK node pools should give nodes no public IP bandwidth, should have managed auto-repair on, and should " +
    "use a hardened OS image. (Checkov CKV_ALI_31, InfraGuard ecs-running-instance-no-public-ip.)",
  why:
    "Nodes with public IPs are directly reachable from the internet; nodes that are not repaired keep running " +
    "with failed components or known vulnerabilities.",
  fix:
    "Leave 'internetMaxBandwidthOut' unset or 0, set 'management: { enable: true, autoRepair: true }' and " +
    "'securityHardeningOs: true' or, for MLPS 2.0, 'socEnabled: true' ('cisEnabled' is deprecated).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.9", "ISO27001-A.8.20", "SOC2-CC7.1", "PCI-2.2.1", "PCI-6.3.3", "MLPS-8.1.4.4"],
  resourceTypes: ["alicloud:cs/nodePool:NodePool"],
  validateResource: forTypes<NodePoolArgs>(["alicloud:cs/nodePool:NodePool"], (pool, _args, report) => {
    if ((pool.internetMaxBandwidthOut ?? 0) > 0)
      report(`internetMaxBandwidthOut (${pool.internetMaxBandwidthOut}) gives nodes public IPs`);
    if (pool.management?.enable !== true || pool.management?.autoRepair !== true)
      report("management.enable and management.autoRepair must be true");
    if (pool.securityHardeningOs !== true && pool.socEnabled !== true && pool.cisEnabled !== true)
      report("none of securityHardeningOs, socEnabled (MLPS) and cisEnabled is true");
  }),
};
