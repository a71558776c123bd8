import { ArgumentChecks } from "../../lib/check";

/**
 * Zones of each supported Alibaba Cloud region that offer vSwitches, ECS
 * g7 instances and ApsaraDB RDS for PostgreSQL on cloud disks, in the order
 * the kit uses them. A table rather than only `getZones` because the
 * contract hands zone names to the Kubernetes layer as plain strings at
 * plan time; the network component still asks `getZones` at deploy time and
 * fails with a clear error if a zone here stops offering vSwitches.
 */
export const regionZones: Record<string, readonly string[]> = {
  "cn-hangzhou": ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"],
  "cn-shanghai": ["cn-shanghai-e", "cn-shanghai-f", "cn-shanghai-g"],
  "cn-beijing": ["cn-beijing-g", "cn-beijing-h", "cn-beijing-i"],
  "cn-zhangjiakou": ["cn-zhangjiakou-a", "cn-zhangjiakou-b", "cn-zhangjiakou-c"],
  "cn-shenzhen": ["cn-shenzhen-d", "cn-shenzhen-e", "cn-shenzhen-f"],
  "cn-guangzhou": ["cn-guangzhou-a", "cn-guangzhou-b"],
  "cn-chengdu": ["cn-chengdu-a", "cn-chengdu-b"],
  "cn-hongkong": ["cn-hongkong-b", "cn-hongkong-c", "cn-hongkong-d"],
  "eu-central-1": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
  "eu-west-1": ["eu-west-1a", "eu-west-1b"],
  "ap-southeast-1": ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"],
  "ap-southeast-3": ["ap-southeast-3a", "ap-southeast-3b"],
  "ap-southeast-5": ["ap-southeast-5a", "ap-southeast-5b", "ap-southeast-5c"],
  "ap-northeast-1": ["ap-northeast-1a", "ap-northeast-1b", "ap-northeast-1c"],
  "us-west-1": ["us-west-1a", "us-west-1b"],
  "us-east-1": ["us-east-1a", "us-east-1b"],
  "me-east-1": ["me-east-1a", "me-east-1b"],
};

/** The first `count` zones of a region; config-rules.ts reports a region or count this refuses. */
export function planZones(region: string, count: number): string[] {
  const check = new ArgumentChecks();
  if (!Object.hasOwn(regionZones, region)) {
    check.add("region", region, "has no zone table in the Alibaba Cloud kit");
    check.throwIfAny(RangeError);
  }
  const zones = regionZones[region];
  const allowed = Number.isInteger(count) && count >= 1 && count <= zones.length;
  check.require(allowed, "zones", count, `must be 1 to ${zones.length} in ${region}`);
  check.throwIfAny(RangeError);
  return zones.slice(0, count);
}
