import type { kubernetesVersions, postgresVersions } from "../../stacks/config/clouds";

/**
 * ACK releases carry a patch and an Alibaba suffix (`1.33.3-aliyun.1`). The
 * config pins the minor; this table pins the exact release a new cluster is
 * created at, so two stacks with the same config get the same control plane.
 * Raise a row (never lower it: ACK does not downgrade) after checking
 * `cs.getKubernetesVersion` for the region.
 */
export const ackVersions: Record<(typeof kubernetesVersions)[number], string> = {
  "1.32": "1.32.7-aliyun.1",
  "1.33": "1.33.3-aliyun.1",
  "1.34": "1.34.1-aliyun.1",
};

/** ApsaraDB RDS spells PostgreSQL majors as `16.0`. */
export function rdsEngineVersion(major: (typeof postgresVersions)[number]): string {
  return `${major}.0`;
}
