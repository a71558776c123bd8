import type { Cloud } from "../../config/clouds";

/** One bucket as rclone reaches it. */
export interface SyncBucket {
  cloud: Cloud;
  name: string;
  region: string;
  /** Azure only: the storage account holding the container. */
  account?: string;
}

/**
 * rclone remote settings as environment variables (RCLONE_CONFIG_<REMOTE>_*),
 * so no config file holds anything. `identity` uses the pod's workload
 * identity (IRSA on EKS, Azure workload identity on AKS); otherwise keys
 * come from a Secret scoped to that bucket (`secretEnv`). Objects are
 * written without encryption headers: the target bucket's default
 * encryption with its own KMS key applies.
 */
export function rcloneRemoteEnv(remote: "SRC" | "DST", bucket: SyncBucket, auth: "identity" | "secret"): Record<string, string> {
  const p = `RCLONE_CONFIG_${remote}_`;
  const envAuth = auth === "identity" ? "true" : "false";
  switch (bucket.cloud) {
    case "aws":
      return { [`${p}TYPE`]: "s3", [`${p}PROVIDER`]: "AWS", [`${p}REGION`]: bucket.region, [`${p}ENV_AUTH`]: envAuth };
    case "alicloud":
      return { [`${p}TYPE`]: "s3", [`${p}PROVIDER`]: "Alibaba", [`${p}ENDPOINT`]: `oss-${bucket.region}-internal.aliyuncs.com`, [`${p}ENV_AUTH`]: envAuth };
    case "azure":
      if (!bucket.account) throw new Error("an Azure bucket needs its storage account");
      return { [`${p}TYPE`]: "azureblob", [`${p}ACCOUNT`]: bucket.account, [`${p}ENV_AUTH`]: envAuth };
  }
}

/** rclone reads keys from these variables when a remote is not on workload identity. */
export function secretEnvNames(remote: "SRC" | "DST", cloud: Cloud): string[] {
  const p = `RCLONE_CONFIG_${remote}_`;
  return cloud === "azure" ? [`${p}SAS_URL`] : [`${p}ACCESS_KEY_ID`, `${p}SECRET_ACCESS_KEY`];
}

/**
 * Whether the standby's own bucket can be written with workload identity:
 * rclone's S3 and Azure backends pick up IRSA and Azure workload identity,
 * but not Alibaba's RRSA, so an OSS target needs scoped keys.
 */
export function targetAuth(cloud: Cloud): "identity" | "secret" {
  return cloud === "alicloud" ? "secret" : "identity";
}

/** Copy, never sync: files deleted on the primary stay on the standby until its own lifecycle rules expire them. */
export function rcloneArgs(source: SyncBucket, target: SyncBucket): string[] {
  return ["copy", `SRC:${source.name}`, `DST:${target.name}`, "--fast-list", "--transfers=8", "--checkers=16", "--stats-one-line", "--stats=60s", "--use-json-log"];
}
