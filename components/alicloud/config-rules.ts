import { turnRelayPortsIssue } from "../../config/im";
import type { ConfigIssue } from "../../config/load";
import { NAMESPACE } from "../../config/namespace";
import { regions } from "../../config/regions";
import { type PartialPlatformConfig, platformShape } from "../../config/schema";
import { regionZones } from "./zones";

/**
 * Relay ports the TURN CLB can carry: "Number of listeners per CLB instance: 50" by default
 * (help.aliyun.com/en/slb/classic-load-balancer/product-overview/limits-1; a quota increase can raise it), less the
 * TURN Service's 3478/UDP and 443/TCP listeners.
 */
export const ALICLOUD_TURN_RELAY_MAX_PORTS = 48;

/**
 * What the Alibaba Cloud kit cannot build from a config that the cloud-neutral
 * schema accepts. Returns every problem, so one run reports them all; it also
 * runs when other keys failed, hence the defensive reads.
 */
export function alicloudConfigIssues(config: PartialPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // A region the schema does not accept is the schema's to report, with the same list of regions.
  const region =
    typeof config.region === "string" && regions.alicloud.includes(config.region) ? config.region : undefined;
  const zones = region === undefined ? undefined : regionZones[region];
  // A zone count the schema refuses (not an integer from 2 to 3) is the schema's to report; naming the key twice
  // would only repeat it.
  const wantedZones = acceptedZoneCount(config.network?.zones);
  if (region !== undefined && !zones) {
    issues.push({
      key: `${NAMESPACE}:region`,
      value: region,
      message: `has no zone table in the Alibaba Cloud kit; use one of ${Object.keys(regionZones).join(", ")}`,
    });
  } else if (zones && wantedZones !== undefined && zones.length < wantedZones) {
    issues.push({
      key: `${NAMESPACE}:network.zones`,
      value: wantedZones,
      message:
        `must be at most ${zones.length}: ${region} has ${zones.length} zones that offer ACK, ECS g7 ` +
        `and RDS PostgreSQL (${zones.join(", ")})`,
    });
  }
  const publicAccessCidrs = config.cluster?.publicAccessCidrs;
  if (Array.isArray(publicAccessCidrs) && publicAccessCidrs.length > 0) {
    issues.push({
      key: `${NAMESPACE}:cluster.publicAccessCidrs`,
      value: publicAccessCidrs,
      message:
        "must be empty on alicloud: ACK's public API endpoint (an EIP on the API server load balancer) " +
        "has no source allow-list, so the kit keeps the endpoint private; reach the API server from the VPC " +
        "(VPN gateway, bastion, or the cross-cloud link)",
    });
  }
  const relayIssue = turnRelayPortsIssue(
    config.im,
    "alicloud",
    ALICLOUD_TURN_RELAY_MAX_PORTS,
    "a CLB has at most 50 listeners by default, and the TURN CLB also listens on 3478/UDP and 443/TCP",
  );
  if (relayIssue) issues.push(relayIssue);
  return issues;
}

/** `network.zones` when the schema accepts it, otherwise undefined. */
function acceptedZoneCount(value: unknown): number | undefined {
  return typeof value === "number" && platformShape.network.unwrap().shape.zones.safeParse(value).success
    ? value
    : undefined;
}
