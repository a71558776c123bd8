import type { KitReplication } from "../contract";

/** What ApsaraDB RDS for PostgreSQL and OSS need to replicate to or from a peer cloud. */
export const alicloudReplication: KitReplication = {
  dialect: { replicationGrant: "REPLICATION attribute" },
  serverParameters: [{ name: "wal_level", value: "logical", applyMethod: "pending-reboot" }],
  files: {
    // OSS speaks S3; the internal endpoint keeps the copy inside the region's network.
    settings: (bucket) => ({ TYPE: "s3", PROVIDER: "Alibaba", ENDPOINT: `oss-${bucket.region}-internal.aliyuncs.com` }),
    secretKeys: ["ACCESS_KEY_ID", "SECRET_ACCESS_KEY"],
    // rclone does not pick up Alibaba's RRSA, so an OSS target needs scoped keys.
    workloadIdentity: false,
    storageAccount: false,
  },
};
