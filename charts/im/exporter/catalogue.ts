/**
 * Every metric the exporter serves, by name. Dashboards and alert rules may name only these (and the other
 * components' metrics); a unit test holds them to it, the analytics end-to-end test checks each one against a real
 * scrape, and docs/analytics.md defines each one.
 */
export const exporterMetrics = [
  "ejabberd_up",
  "ejabberd_registered_users",
  "ejabberd_online_users",
  "ejabberd_node_online_users",
  "ejabberd_domain_online_users",
  "ejabberd_uptime_seconds",
  "ejabberd_erlang_processes",
  "ejabberd_cluster_nodes",
  "ejabberd_exporter_errors_total",
  "ejabberd_exporter_scrape_seconds",
  "ejabberd_database_up",
  "ejabberd_database_query_seconds",
  "ejabberd_archived_messages_total",
  "ejabberd_logins_total",
  "ejabberd_login_failures_total",
  "warbler_messages_total",
  "warbler_active_users",
  "warbler_active_rooms",
  "warbler_active_room_members",
  "warbler_new_accounts",
  "warbler_deleted_accounts",
  "warbler_analytics_up",
  "warbler_analytics_rollup_timestamp_seconds",
  "warbler_database_certificate_expiry_timestamp_seconds",
] as const;

/** Metrics served only when the database connection is TLS (in the cluster, not the local runner's plain one). */
export const databaseTlsMetrics: readonly string[] = ["warbler_database_certificate_expiry_timestamp_seconds"];
