import type { kubernetesVersions, postgresVersions } from "../../config/clouds";

type KubernetesVersion = (typeof kubernetesVersions)[number];
type PostgresVersion = (typeof postgresVersions)[number];

/** EKS takes the Kubernetes minor alone and applies patch releases to the control plane itself. */
export const clusterVersions: Record<KubernetesVersion, string> = {
  "1.35": "1.35",
  "1.36": "1.36",
};

/**
 * RDS engine version per PostgreSQL major: the major alone, as the Azure and
 * Alibaba kits give theirs. RDS creates a new instance at its current default
 * minor and applies later minors (security fixes) in the maintenance window.
 * A pinned minor stops being creatable once RDS deprecates it: 16.9 and 17.5,
 * pinned here before, refused new instances from 2026-10-01.
 */
export const databaseVersions: Record<PostgresVersion, string> = {
  "16": "16",
  "17": "17",
};

/** The RDS parameter group family of each PostgreSQL major. */
export const rdsParameterFamilies: Record<PostgresVersion, string> = {
  "16": "postgres16",
  "17": "postgres17",
};

/** The EKS managed add-ons the kit installs. */
export type EksAddonName = "vpc-cni" | "coredns" | "kube-proxy" | "aws-ebs-csi-driver";

/** Add-on builds per Kubernetes minor, pinned: `most recent` would change a cluster without a code change. */
export const eksAddonVersions: Record<KubernetesVersion, Record<EksAddonName, string>> = {
  "1.35": {
    "vpc-cni": "v1.22.4-eksbuild.3",
    coredns: "v1.13.2-eksbuild.4",
    "kube-proxy": "v1.35.3-eksbuild.2",
    "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
  },
  "1.36": {
    "vpc-cni": "v1.22.4-eksbuild.3",
    coredns: "v1.14.3-eksbuild.16",
    "kube-proxy": "v1.36.0-eksbuild.21",
    "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
  },
};
