import { NAMESPACE } from "../../config/namespace";
import type { ConfigIssue } from "../../config/load";
import type { PlatformConfig } from "../../config/schema";
import { regionZones } from "./zones";

/**
 * What the Alibaba Cloud kit cannot build from a config that the cloud-neutral
 * schema accepts. Returns every problem, so one run reports them all.
 */
export function alicloudConfigIssues(config: PlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const zones = regionZones[config.region];
  if (!zones) {
    issues.push({
      key: `${NAMESPACE}:region`,
      value: config.region,
      message: `has no zone table in the Alibaba Cloud kit; use one of ${Object.keys(regionZones).join(", ")}`,
    });
  } else if (zones.length < config.network.zones) {
    issues.push({
      key: `${NAMESPACE}:network.zones`,
      value: config.network.zones,
      message: `must be at most ${zones.length}: ${config.region} has ${zones.length} zones that offer ACK, ECS g7 and RDS PostgreSQL (${zones.join(", ")})`,
    });
  }
  if (config.cluster.publicAccessCidrs.length > 0) {
    issues.push({
      key: `${NAMESPACE}:cluster.publicAccessCidrs`,
      value: config.cluster.publicAccessCidrs,
      message:
        "must be empty on alicloud: ACK's public API endpoint (an EIP on the API server load balancer) has no source allow-list, " +
        "so the kit keeps the endpoint private; reach the API server from the VPC (VPN gateway, bastion, or the cross-cloud link)",
    });
  }
  return issues;
}
