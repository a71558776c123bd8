import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { startSqlTlsProxy } from "./proxy";

/**
 * Sidecar entry point: `node --import tsx charts/im/sql-tls-proxy/main.ts` (or the bundled JS,
 * components/kubernetes/bundle.ts). Configured by environment:
 *   WARBLER_SQL_PROXY_PORT           loopback port ejabberd connects to (plain PostgreSQL, sql_ssl false)
 *   WARBLER_SQL_PROXY_UPSTREAM_HOST  the database's host name, as its certificate names it
 *   WARBLER_SQL_PROXY_UPSTREAM_PORT  the database's port (default 5432)
 *   WARBLER_SQL_PROXY_CA_FILE        PEM CA bundle the certificate must chain to; re-read for each connection
 *   WARBLER_SQL_PROXY_SERVERNAME     optional: the name to verify, when it differs from the host connected to
 *   WARBLER_SQL_PROXY_LISTEN_HOST    optional: default 127.0.0.1 (plaintext never leaves the pod)
 *   WARBLER_SQL_PROXY_HEALTH_PORT    optional: GET /healthz answers 200 there on every address, for the kubelet's
 *                                    probes (they reach the pod's address, not loopback); it proxies nothing
 * There is no setting that turns verification off.
 */
async function main(): Promise<void> {
  const env = process.env;
  const required = ["WARBLER_SQL_PROXY_PORT", "WARBLER_SQL_PROXY_UPSTREAM_HOST", "WARBLER_SQL_PROXY_CA_FILE"];
  const missing = required.filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`missing environment: ${missing.join(", ")}`);
  const port = (key: string, fallback?: string) => {
    const value = Number(env[key] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw new Error(`${key} (${env[key]}) must be a port from 1 to 65535`);
    return value;
  };
  const caFile = env.WARBLER_SQL_PROXY_CA_FILE!;
  // Read once now, so a missing or empty CA stops the sidecar at start instead of failing each connection.
  if (!readFileSync(caFile, "utf8").includes("BEGIN CERTIFICATE"))
    throw new Error(`WARBLER_SQL_PROXY_CA_FILE (${caFile}) holds no PEM certificate`);
  const upstream = {
    host: env.WARBLER_SQL_PROXY_UPSTREAM_HOST!,
    port: port("WARBLER_SQL_PROXY_UPSTREAM_PORT", "5432"),
  };
  const proxy = await startSqlTlsProxy({
    listen: { host: env.WARBLER_SQL_PROXY_LISTEN_HOST ?? "127.0.0.1", port: port("WARBLER_SQL_PROXY_PORT") },
    upstream,
    ca: () => readFileSync(caFile, "utf8"),
    ...(env.WARBLER_SQL_PROXY_SERVERNAME ? { servername: env.WARBLER_SQL_PROXY_SERVERNAME } : {}),
  });
  const health = createServer((req, res) => {
    res.writeHead(req.url === "/healthz" ? 200 : 404, { "content-type": "text/plain" }).end();
  });
  if (env.WARBLER_SQL_PROXY_HEALTH_PORT) {
    const healthPort = port("WARBLER_SQL_PROXY_HEALTH_PORT");
    await new Promise<void>((resolve) => health.listen(healthPort, "0.0.0.0", resolve));
  }
  log({ level: "info", event: "listening", port: proxy.port, upstream: `${upstream.host}:${upstream.port}` });
  // A native sidecar gets SIGTERM after ejabberd has stopped: nothing is left to drain.
  const stop = () => {
    health.close();
    void proxy.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

function log(event: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify(event)}\n`);
}

main().catch((err: Error) => {
  log({ level: "error", event: "start-failed", reason: err.message });
  process.exit(1);
});
