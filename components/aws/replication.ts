import type { KitReplication } from "../contract";

/** What RDS for PostgreSQL and S3 need to replicate to or from a peer cloud. */
export const awsReplication: KitReplication = {
  // RDS reserves the REPLICATION attribute to rdsadmin; its rds_replication role grants the same right.
  dialect: { replicationGrant: "rds_replication role" },
  // RDS derives wal_level (logical) from this parameter rather than taking wal_level itself.
  serverParameters: [{ name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" }],
  files: {
    settings: (bucket) => ({ TYPE: "s3", PROVIDER: "AWS", REGION: bucket.region }),
    secretKeys: ["ACCESS_KEY_ID", "SECRET_ACCESS_KEY"],
    // rclone's S3 backend reads IRSA's web identity token.
    workloadIdentity: true,
    storageAccount: false,
  },
};
