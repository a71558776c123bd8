/**
 * ejabberd 23.01 has no Prometheus endpoint (mod_prometheus came later), so
 * the exporter reads mod_http_api and renders the Prometheus text format.
 * This file is the pure half: which API calls to make and how their answers
 * become metric lines.
 */

/** One API call the exporter makes per scrape, and the metric it feeds. */
export interface StatSource {
  /** mod_http_api command. */
  command: string;
  /** JSON body of the call. */
  args: Record<string, string>;
  /** Prometheus metric name. */
  metric: string;
  help: string;
  type: "gauge" | "counter";
  /** Picks the number out of the command's JSON answer. */
  read: (answer: unknown) => number;
}

const stat = (answer: unknown) => numberField(answer, "stat");

/** The API calls behind the metrics; every one needs an administrator on an allowed network. */
export const statSources: StatSource[] = [
  {
    command: "stats",
    args: { name: "registeredusers" },
    metric: "ejabberd_registered_users",
    help: "Accounts registered on the cluster.",
    type: "gauge",
    read: stat,
  },
  {
    command: "stats",
    args: { name: "onlineusers" },
    metric: "ejabberd_online_users",
    help: "Client sessions on the whole cluster.",
    type: "gauge",
    read: stat,
  },
  {
    command: "stats",
    args: { name: "onlineusersnode" },
    metric: "ejabberd_node_online_users",
    help: "Client sessions on this node.",
    type: "gauge",
    read: stat,
  },
  {
    command: "stats",
    args: { name: "uptimeseconds" },
    metric: "ejabberd_uptime_seconds",
    help: "Seconds since this node started.",
    type: "gauge",
    read: stat,
  },
  {
    command: "stats",
    args: { name: "processes" },
    metric: "ejabberd_erlang_processes",
    help: "Erlang processes on this node (one per session, plus the node's own).",
    type: "gauge",
    read: stat,
  },
  {
    command: "list_cluster",
    args: {},
    metric: "ejabberd_cluster_nodes",
    help: "Nodes this node sees in its cluster; fewer than the replicas means a node is down or the cluster split.",
    type: "gauge",
    read: (answer) => {
      if (!Array.isArray(answer)) throw new Error(`list_cluster answered ${JSON.stringify(answer)}, not a list`);
      return answer.length;
    },
  },
];

/** One sample: a metric name, optional labels and a value. */
export interface Sample {
  metric: string;
  help: string;
  type: "gauge" | "counter";
  labels?: Record<string, string>;
  value: number;
}

/** Renders samples in the Prometheus text exposition format 0.0.4, one HELP/TYPE block per metric. */
export function renderPrometheus(samples: Sample[]): string {
  const byMetric = new Map<string, Sample[]>();
  for (const s of samples) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s]);
  const lines: string[] = [];
  for (const [metric, group] of byMetric) {
    lines.push(`# HELP ${metric} ${group[0].help}`, `# TYPE ${metric} ${group[0].type}`);
    for (const s of group) lines.push(`${metric}${renderLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return `${lines.join("\n")}\n`;
}

function renderLabels(labels?: Record<string, string>): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return "";
  const escapeValue = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
  return `{${entries.map(([k, v]) => `${k}="${escapeValue(v)}"`).join(",")}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function numberField(answer: unknown, field: string): number {
  const value = (answer as Record<string, unknown> | null)?.[field];
  if (typeof value !== "number") throw new Error(`expected {"${field}": <number>}, got ${JSON.stringify(answer)}`);
  return value;
}
