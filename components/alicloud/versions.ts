import type { kubernetesVersions, postgresVersions } from "../../config/clouds";

/**
 * ACK releases carry a patch and an Alibaba suffix (`1.36.2-aliyun.1`). The
 * config pins the minor; this table pins the exact release a new cluster is
 * created at, so two stacks with the same config get the same control plane.
 * Raise a row (never lower it: ACK does not downgrade) after checking
 * `cs.getKubernetesVersion` for the region.
 */
export const clusterVersions: Record<(typeof kubernetesVersions)[number], string> = {
  // ACK creates new clusters only at the newest release of each supported minor; these are the ones it
  // listed for eu-central-1 in August 2026.
  "1.35": "1.35.7-aliyun.1",
  "1.36": "1.36.2-aliyun.1",
};

/** ApsaraDB RDS spells PostgreSQL majors as `16.0`; it applies minors itself (database.ts, autoUpgradeMinorVersion). */
export const databaseVersions: Record<(typeof postgresVersions)[number], string> = {
  "16": "16.0",
  "17": "17.0",
};
