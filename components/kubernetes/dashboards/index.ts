import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { imNamespace } from "../../../charts/im/props";
import { type Query, stat, timeseries } from "./panels";

/**
 * Warbler's Grafana dashboards, generated with Grafana's Foundation SDK and provisioned through kube-prometheus-stack's
 * dashboard sidecar (components/kubernetes/grafana.ts). Every metric is defined in docs/analytics.md; the exporter's
 * cluster-wide series (sessions, messages, active users) are the same on every pod, so they aggregate with max.
 */

/** One dashboard: the file name the sidecar writes and the JSON model Grafana loads. */
export interface DashboardFile {
  file: string;
  uid: string;
  model: object;
}

const sel = `namespace="${imNamespace}"`;
const q = (expr: string, legend?: string): Query => ({ expr, legend });

function live(): object {
  return new DashboardBuilder("Warbler / Live")
    .uid("warbler-live")
    .tags(["warbler"])
    .refresh("30s")
    .time({ from: "now-3h", to: "now" })
    .withPanel(
      stat(
        "Concurrent sessions",
        "Client sessions on the cluster now.",
        "short",
        q(`max(ejabberd_online_users{${sel}})`),
      ),
    )
    .withPanel(
      stat(
        "Logins per second",
        "Successful logins on all nodes, over 5 minutes.",
        "reqps",
        q(`sum(rate(ejabberd_logins_total{${sel}}[5m]))`),
      ),
    )
    .withPanel(
      stat(
        "Messages per minute",
        "Messages stored, each counted once, over 5 minutes.",
        "short",
        q(`sum(max by (type) (rate(warbler_messages_total{${sel}}[5m]))) * 60`),
      ),
    )
    .withPanel(
      stat(
        "Active users today",
        "Accounts that logged in during the UTC day.",
        "short",
        q(`max(warbler_active_users{${sel},window="day"})`),
      ),
    )
    .withPanel(
      timeseries("Sessions", "Client sessions on each ejabberd node, the cluster and each domain.", "short", [
        q(`ejabberd_node_online_users{${sel}}`, "{{pod}}"),
        q(`max(ejabberd_online_users{${sel}})`, "cluster"),
        q(`max by (domain) (ejabberd_domain_online_users{${sel}})`, "{{domain}}"),
      ]),
    )
    .withPanel(
      timeseries("Logins and failures", "Per second, over 5 minutes, by domain.", "reqps", [
        q(`sum by (domain) (rate(ejabberd_logins_total{${sel}}[5m]))`, "logins {{domain}}"),
        q(`sum by (domain) (rate(ejabberd_login_failures_total{${sel}}[5m]))`, "failures {{domain}}"),
      ]),
    )
    .withPanel(
      timeseries("Messages per minute", "One-to-one and group messages, each counted once.", "short", [
        q(`max by (type) (rate(warbler_messages_total{${sel}}[5m])) * 60`, "{{type}}"),
      ]),
    )
    .withPanel(
      timeseries(
        "Active rooms and members today",
        "Rooms with a group message during the UTC day, and the distinct accounts that sent one.",
        "short",
        [q(`max(warbler_active_rooms{${sel}})`, "rooms"), q(`max(warbler_active_room_members{${sel}})`, "members")],
      ),
    )
    .build();
}

function daily(): object {
  const perDay = (metric: string) => `max by (type) (increase(${metric}{${sel}}[1d]))`;
  return new DashboardBuilder("Warbler / Daily")
    .uid("warbler-daily")
    .tags(["warbler"])
    .refresh("5m")
    .time({ from: "now-30d", to: "now" })
    .withPanel(
      timeseries("Active users", "DAU, WAU and MAU: accounts that logged in during the window (UTC days).", "short", [
        q(`max by (window) (warbler_active_users{${sel}})`, "{{window}}"),
      ]),
    )
    .withPanel(
      timeseries("Daily peak of concurrent sessions", "The highest session count of each day.", "short", [
        q(`max_over_time(max(ejabberd_online_users{${sel}})[1d:5m])`, "peak"),
      ]),
    )
    .withPanel(
      timeseries("Messages per day", "Messages stored in the last 24 hours, each counted once.", "short", [
        q(perDay("warbler_messages_total"), "{{type}}"),
      ]),
    )
    .withPanel(
      timeseries("Accounts", "Accounts created and deleted during the UTC day, and registered.", "short", [
        q(`max(warbler_new_accounts{${sel}})`, "new"),
        q(`max(warbler_deleted_accounts{${sel}})`, "deleted"),
        q(`max(ejabberd_registered_users{${sel}})`, "registered"),
      ]),
    )
    .withPanel(
      timeseries("Uploads per day", "Files stored by the upload service in the last 24 hours.", "short", [
        q(`sum(increase(warbler_upload_uploads_total{${sel}}[1d]))`, "files"),
      ]),
    )
    .withPanel(
      timeseries("Uploaded bytes per day", "Bytes stored by the upload service in the last 24 hours.", "bytes", [
        q(`sum(increase(warbler_upload_uploaded_bytes_total{${sel}}[1d]))`, "bytes"),
      ]),
    )
    .build();
}

function health(): object {
  const ejabberdPods = `${sel},container="ejabberd"`;
  return new DashboardBuilder("Warbler / Platform health")
    .uid("warbler-health")
    .tags(["warbler"])
    .refresh("30s")
    .time({ from: "now-6h", to: "now" })
    .withRow(new RowBuilder("ejabberd and its database"))
    .withPanel(
      timeseries("Database round trip", "One indexed query from each pod to PostgreSQL, per scrape.", "s", [
        q(`ejabberd_database_query_seconds{${sel}}`, "{{pod}}"),
      ]),
    )
    .withPanel(
      timeseries("Memory per session", "Working set of each ejabberd container divided by its sessions.", "bytes", [
        q(
          `sum by (pod) (container_memory_working_set_bytes{${ejabberdPods}}) / ` +
            `clamp_min(sum by (pod) (ejabberd_node_online_users{${sel}}), 1)`,
          "{{pod}}",
        ),
      ]),
    )
    .withPanel(
      timeseries("Erlang processes", "One per session plus the node's own.", "short", [
        q(`ejabberd_erlang_processes{${sel}}`, "{{pod}}"),
      ]),
    )
    .withPanel(
      timeseries("Errors", "Failed API calls, failed analytics scrapes, upload store errors, per second.", "short", [
        q(`sum by (pod) (rate(ejabberd_exporter_errors_total{${sel}}[5m]))`, "api {{pod}}"),
        q(`count(warbler_analytics_up{${sel}} == 0)`, "analytics down"),
        q(`sum(rate(warbler_upload_store_errors_total{${sel}}[5m]))`, "upload store"),
      ]),
    )
    .withRow(new RowBuilder("Nodes"))
    .withPanel(
      timeseries("File descriptors", "Share of fs.file-max allocated on each node.", "percentunit", [
        q("node_filefd_allocated / node_filefd_maximum", "{{instance}}"),
      ]),
    )
    .withPanel(
      timeseries("Connection tracking", "Share of nf_conntrack_max in use on each node.", "percentunit", [
        q("node_nf_conntrack_entries / node_nf_conntrack_entries_limit", "{{instance}}"),
      ]),
    )
    .build();
}

/** Every dashboard Warbler provisions. */
export function warblerDashboards(): DashboardFile[] {
  return [
    { file: "warbler-live.json", uid: "warbler-live", model: live() },
    { file: "warbler-daily.json", uid: "warbler-daily", model: daily() },
    { file: "warbler-health.json", uid: "warbler-health", model: health() },
  ];
}
