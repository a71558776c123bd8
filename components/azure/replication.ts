import type { KitReplication } from "../contract";

/** What Azure Database for PostgreSQL flexible server and Blob storage need to replicate to or from a peer cloud. */
export const azureReplication: KitReplication = {
  dialect: { replicationGrant: "REPLICATION attribute" },
  serverParameters: [{ name: "wal_level", value: "logical", applyMethod: "pending-reboot" }],
  files: {
    settings: (bucket) => {
      if (!bucket.account) throw new Error("an Azure bucket needs its storage account");
      return { TYPE: "azureblob", ACCOUNT: bucket.account };
    },
    secretKeys: ["SAS_URL"],
    // rclone's azureblob backend reads the Azure workload identity token (env_auth).
    workloadIdentity: true,
    storageAccount: true,
  },
};
