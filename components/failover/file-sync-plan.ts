/** One bucket as rclone reaches it. */
export interface SyncBucket {
  name: string;
  region: string;
  /** The storage account holding the container, for a backend that addresses buckets through one. @default - none */
  account?: string;
}

/**
 * How rclone reaches one cloud's buckets. Each kit supplies its own
 * (components/<cloud>/replication.ts); the names are rclone's backend options
 * without the RCLONE_CONFIG_<REMOTE>_ prefix.
 */
export interface RcloneBackend {
  /** The backend options for `bucket`, except ENV_AUTH. */
  settings(bucket: SyncBucket): Record<string, string>;
  /** Options rclone reads keys from when the remote is not on workload identity. */
  secretKeys: readonly string[];
  /** Whether rclone picks up this cloud's workload identity; else a standby bucket is written with scoped keys. */
  workloadIdentity: boolean;
  /** Whether `settings` needs the bucket's storage account (a peer stack exports `bucketAccount` then). */
  storageAccount: boolean;
}

/**
 * rclone remote settings as environment variables (RCLONE_CONFIG_<REMOTE>_*),
 * so no config file holds anything. `identity` uses the pod's workload
 * identity (IRSA on EKS, Azure workload identity on AKS); otherwise keys
 * come from a Secret scoped to that bucket (`secretEnvNames`). Objects are
 * written without encryption headers: the target bucket's default
 * encryption with its own KMS key applies.
 */
export function rcloneRemoteEnv(
  remote: "SRC" | "DST",
  bucket: SyncBucket,
  backend: RcloneBackend,
  auth: "identity" | "secret",
): Record<string, string> {
  const options = { ...backend.settings(bucket), ENV_AUTH: auth === "identity" ? "true" : "false" };
  return Object.fromEntries(
    Object.entries(options).map(([option, value]) => [`RCLONE_CONFIG_${remote}_${option}`, value]),
  );
}

/** rclone reads keys from these variables when a remote is not on workload identity. */
export function secretEnvNames(remote: "SRC" | "DST", backend: RcloneBackend): string[] {
  return backend.secretKeys.map((key) => `RCLONE_CONFIG_${remote}_${key}`);
}

/** Whether the standby's own bucket is written with workload identity or with keys scoped to it. */
export function targetAuth(backend: RcloneBackend): "identity" | "secret" {
  return backend.workloadIdentity ? "identity" : "secret";
}

/** Copy, never sync: files deleted on the primary stay on the standby until its own lifecycle rules expire them. */
export function rcloneArgs(source: SyncBucket, target: SyncBucket): string[] {
  return [
    "copy",
    `SRC:${source.name}`,
    `DST:${target.name}`,
    "--fast-list",
    "--transfers=8",
    "--checkers=16",
    "--stats-one-line",
    "--stats=60s",
    "--use-json-log",
  ];
}
