import type { FailoverConfig } from "../../config/failover";

/** A server parameter logical replication needs; all are static and take effect after a restart. */
export interface ReplicationParameter {
  name: string;
  value: string;
  applyMethod: "pending-reboot";
}

/**
 * The kit's replication parameters (components/<cloud>/replication.ts) when
 * the stack takes part in failover, else none. Both roles get them: after a
 * switchover the standby publishes.
 */
export function replicationParameters(
  parameters: readonly ReplicationParameter[],
  failover: Pick<FailoverConfig, "role">,
): ReplicationParameter[] {
  return failover.role === "none" ? [] : [...parameters];
}

/** The same, as the name-to-value map Azure's database component takes. */
export function replicationParameterMap(
  parameters: readonly ReplicationParameter[],
  failover: Pick<FailoverConfig, "role">,
): Record<string, string> {
  return Object.fromEntries(replicationParameters(parameters, failover).map((p) => [p.name, p.value]));
}
