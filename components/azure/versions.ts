import type { PostgresMajorVersion } from "@pulumi/azure-native/types/enums/dbforpostgresql";
import type { kubernetesVersions, postgresVersions } from "../../config/clouds";

type KubernetesVersion = (typeof kubernetesVersions)[number];
type PostgresVersion = (typeof postgresVersions)[number];

/**
 * AKS takes the Kubernetes minor alone; the "patch" upgrade channel
 * (cluster.ts) keeps the control plane and nodes on its newest patch.
 */
export const clusterVersions: Record<KubernetesVersion, string> = {
  "1.35": "1.35",
  "1.36": "1.36",
};

/**
 * Flexible Server takes the PostgreSQL major alone and applies minors in its
 * maintenance window. Typed by the API's own list of majors, so a major the
 * API does not offer fails to compile.
 */
export const databaseVersions: Record<PostgresVersion, PostgresMajorVersion> = {
  "16": "16",
  "17": "17",
};
