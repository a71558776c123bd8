import type { Cloud } from "../../config/clouds";
import type { FailoverConfig } from "../../config/failover";

/** A server parameter logical replication needs; all are static and take effect after a restart. */
export interface ReplicationParameter {
  name: string;
  value: string;
  applyMethod: "pending-reboot";
}

/**
 * What each managed PostgreSQL needs to publish or subscribe logically.
 * Both roles get them: after a switchover the standby publishes. Empty
 * when the stack takes no part in failover.
 */
export function replicationParameters(cloud: Cloud, failover: Pick<FailoverConfig, "role">): ReplicationParameter[] {
  if (failover.role === "none") return [];
  switch (cloud) {
    case "aws":
      return [{ name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" }];
    case "azure":
    case "alicloud":
      return [{ name: "wal_level", value: "logical", applyMethod: "pending-reboot" }];
  }
}

/** The same, as the name-to-value map Azure's database component takes. */
export function replicationParameterMap(cloud: Cloud, failover: Pick<FailoverConfig, "role">): Record<string, string> {
  return Object.fromEntries(replicationParameters(cloud, failover).map((p) => [p.name, p.value]));
}
