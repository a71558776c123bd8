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

/**
 * Server parameters that keep logical replication slots across a Flexible Server HA failover. "In PostgreSQL 16 and
 * earlier, logical replication slots aren't preserved on the standby server after a failover": enable the
 * pg_failover_slots extension (a preloaded library) and hot_standby_feedback; from 17, sync_replication_slots and
 * hot_standby_feedback
 * (https://learn.microsoft.com/en-us/azure/postgresql/high-availability/concepts-high-availability).
 * Without them the failover slot of a primary is gone after its own HA failover, and the standby cloud stops receiving.
 * shared_preload_libraries replaces the server's list, so it keeps the libraries Azure preloads by default
 * (pg_cron, pg_stat_statements; docs/azure.md lists this as not yet verified on a live subscription).
 */
export function haSlotParameters(version: string, highAvailability: boolean): Record<string, string> {
  if (!highAvailability) return {};
  return Number(version) >= 17
    ? { sync_replication_slots: "on", hot_standby_feedback: "on" }
    : { shared_preload_libraries: "pg_cron,pg_stat_statements,pg_failover_slots", hot_standby_feedback: "on" };
}
