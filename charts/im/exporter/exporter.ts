import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TLSSocket } from "node:tls";
import { Client, type ClientConfig } from "pg";
import { AnalyticsCollector, type ApiCall } from "./analytics";
import { renderPrometheus, type Sample, type StatSource, statSources } from "./metrics";

export interface ExporterOptions {
  /** Base URL of ejabberd's mod_http_api, such as http://127.0.0.1:5280/api. */
  apiUrl: string;
  /** Administrator JID the exporter logs in to the API with. */
  user: string;
  password: string;
  /**
   * The ejabberd database. When given, the exporter also reports whether it
   * answers and the archive's message counter.
   * @default - no database metrics
   */
  database?: ClientConfig;
  /** Address to listen on. @default "127.0.0.1" */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 9150 */
  port?: number;
  /** Per-call timeout, so a hung node yields ejabberd_up 0 within a scrape interval. @default 5000 */
  timeoutMs?: number;
  /** ejabberd.log of the node beside the exporter, for the login counters. @default - no login metrics */
  logFile?: string;
  /** Seconds between two rollups into warbler_daily_stats. @default 300 */
  rollupSeconds?: number;
}

export interface Exporter {
  /** URL of the /metrics endpoint. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves /metrics (Prometheus text) by calling the API on every scrape, so a
 * value is never older than the scrape that reports it.
 */
export async function startExporter(options: ExporterOptions): Promise<Exporter> {
  const errors = new Map<string, number>();
  const analytics = new AnalyticsCollector({
    domain: options.user.split("@")[1] ?? "",
    logFile: options.logFile,
    rollupSeconds: options.rollupSeconds,
  });
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("only GET /metrics is served\n");
      return;
    }
    collect(options, errors, analytics).then(
      (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(text),
      (err: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`${err.message}\n`),
    );
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 9150, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  // The first collection sets the message counter's archive cursor, so messages from now on are counted.
  await collect(options, errors, analytics).catch(() => undefined);
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function collect(
  options: ExporterOptions,
  errors: Map<string, number>,
  analytics: AnalyticsCollector,
): Promise<string> {
  const started = performance.now();
  const auth = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString("base64")}`;
  const timeoutMs = options.timeoutMs ?? 5000;
  const api: ApiCall = async (command, args) => {
    const res = await fetch(`${options.apiUrl}/${command}`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify(args),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer: unknown = await res.json();
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const results = await Promise.all(
    statSources.map(async (source) => {
      try {
        const answer = await api(source.command, source.args);
        return {
          metric: source.metric,
          help: source.help,
          type: source.type,
          value: source.read(answer),
        } satisfies Sample;
      } catch {
        errors.set(errorKey(source), (errors.get(errorKey(source)) ?? 0) + 1);
        return undefined;
      }
    }),
  );
  const samples = results.filter((s): s is Sample => s !== undefined);
  const up = samples.length === statSources.length ? 1 : 0;
  samples.push({
    metric: "ejabberd_up",
    help: "1 when every API call of this scrape succeeded.",
    type: "gauge",
    value: up,
  });
  const domain = options.user.split("@")[1] ?? "";
  // Sessions of the exporter's own domain (Warbler serves one), from the per-host statistics; left out of
  // ejabberd_up, whose alert pages for the calls above.
  const domainSessions = await api("stats_host", { name: "onlineusers", host: domain }).then(
    (answer) => (answer as { stat?: unknown }).stat,
    () => undefined,
  );
  if (typeof domainSessions === "number")
    samples.push({
      metric: "ejabberd_domain_online_users",
      help: "Client sessions of this domain on the whole cluster.",
      type: "gauge",
      labels: { domain },
      value: domainSessions,
    });
  analytics.readLog();
  if (options.database) {
    const online = samples.find((s) => s.metric === "ejabberd_online_users")?.value;
    samples.push(...(await databaseSamples(options.database, timeoutMs, (db) => analytics.update(db, api, online))));
  }
  samples.push(...analytics.samples());
  for (const source of statSources) {
    samples.push({
      metric: "ejabberd_exporter_errors_total",
      help: "Failed API calls since the exporter started, by command.",
      type: "counter",
      labels: { command: source.command, name: source.args.name ?? "" },
      value: errors.get(errorKey(source)) ?? 0,
    });
  }
  samples.push({
    metric: "ejabberd_exporter_scrape_seconds",
    help: "Time this scrape took.",
    type: "gauge",
    value: Math.round(performance.now() - started) / 1000,
  });
  return renderPrometheus(samples);
}

/**
 * The database server certificate's expiry, as this verify-full connection saw it: managed servers renew it on their
 * own schedule (Alibaba Cloud RDS's cloud certificate lasts 365 days), and a renewal signed by a chain the pods do not
 * trust, or none at all, breaks every database connection. None over a plain connection (the local runner).
 */
function certificateSamples(client: Client): Sample[] {
  // node-postgres swaps its socket for a TLSSocket once the server accepts SSLRequest (pg's connection.js).
  const stream = (client as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  if (!(stream instanceof TLSSocket)) return [];
  const notAfter = Date.parse(stream.getPeerCertificate().valid_to);
  if (Number.isNaN(notAfter)) return [];
  return [
    {
      metric: "warbler_database_certificate_expiry_timestamp_seconds",
      help: "When the database server's TLS certificate expires (its notAfter), in Unix seconds.",
      type: "gauge",
      value: notAfter / 1000,
    },
  ];
}

const errorKey = (source: StatSource) => `${source.command}:${source.args.name ?? ""}`;

async function databaseSamples(
  config: ClientConfig,
  timeoutMs: number,
  update: (db: Client) => Promise<void>,
): Promise<Sample[]> {
  const client = new Client({ ...config, connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs });
  const up = (value: number): Sample => ({
    metric: "ejabberd_database_up",
    help: "1 when the ejabberd database answers a query.",
    type: "gauge",
    value,
  });
  // Reported whenever the connection was made, even when a query then fails: an expiring certificate is news then too.
  let certificate: Sample[] = [];
  try {
    await client.connect();
    certificate = certificateSamples(client);
    // max(id) is a lookup in the index the setup adds (warbler_archive_id), unlike count(*); ids only grow, so it is
    // a counter of archived rows.
    const queryStarted = performance.now();
    const { rows } = await client.query<{ n: string }>("SELECT coalesce(max(id), 0)::text AS n FROM archive");
    const querySeconds = Math.round(performance.now() - queryStarted) / 1000;
    const analyticsUp = await update(client).then(
      () => 1,
      (err: Error) => {
        process.stderr.write(`ejabberd exporter: analytics: ${err.message}\n`);
        return 0;
      },
    );
    return [
      up(1),
      ...certificate,
      {
        metric: "ejabberd_database_query_seconds",
        help: "Round trip of one indexed query (the archive's highest id) from this pod to PostgreSQL.",
        type: "gauge",
        value: querySeconds,
      },
      {
        metric: "warbler_analytics_up",
        help: "1 when this scrape counted messages, recorded activity and (when due) rolled up the day.",
        type: "gauge",
        value: analyticsUp,
      },
      {
        metric: "ejabberd_archived_messages_total",
        help:
          "Messages written to the archive (MAM); each one-to-one message is archived once per party. rate() " +
          "gives the message rate.",
        type: "counter",
        value: Number(rows[0].n),
      },
    ];
  } catch {
    return [up(0), ...certificate];
  } finally {
    await client.end().catch(() => undefined);
  }
}
