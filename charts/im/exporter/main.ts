import { readFileSync } from "node:fs";
import { startExporter } from "./exporter";

/**
 * Sidecar entry point: `node --import tsx charts/im/exporter/main.ts` (or the
 * bundled JS). Configured by environment, with secrets read from files that
 * a Kubernetes Secret mounts:
 *   WARBLER_EXPORTER_API_URL        ejabberd API, e.g. http://127.0.0.1:5280/api
 *   WARBLER_EXPORTER_USER           administrator JID
 *   WARBLER_EXPORTER_PASSWORD_FILE  file holding its password
 *   WARBLER_EXPORTER_DATABASE_URL_FILE  optional: file holding a postgres:// URL
 *                                   (sslmode=verify-full&sslrootcert=... in the cluster)
 *   WARBLER_EXPORTER_PORT           listen port (default 9150), on 0.0.0.0
 *   WARBLER_EXPORTER_LOG_FILE       optional: ejabberd.log of the node, for login counters and activity
 *   WARBLER_EXPORTER_ROLLUP_SECONDS optional: seconds between rollups into warbler_daily_stats (default 300)
 */
async function main(): Promise<void> {
  const env = process.env;
  const missing = ["WARBLER_EXPORTER_API_URL", "WARBLER_EXPORTER_USER", "WARBLER_EXPORTER_PASSWORD_FILE"].filter(
    (k) => !env[k],
  );
  if (missing.length > 0) throw new Error(`missing environment: ${missing.join(", ")}`);
  const read = (file: string) => readFileSync(file, "utf8").trim();
  const exporter = await startExporter({
    apiUrl: env.WARBLER_EXPORTER_API_URL!,
    user: env.WARBLER_EXPORTER_USER!,
    password: read(env.WARBLER_EXPORTER_PASSWORD_FILE!),
    database: env.WARBLER_EXPORTER_DATABASE_URL_FILE
      ? { connectionString: read(env.WARBLER_EXPORTER_DATABASE_URL_FILE) }
      : undefined,
    host: "0.0.0.0",
    port: Number(env.WARBLER_EXPORTER_PORT ?? 9150),
    logFile: env.WARBLER_EXPORTER_LOG_FILE || undefined,
    rollupSeconds: env.WARBLER_EXPORTER_ROLLUP_SECONDS ? Number(env.WARBLER_EXPORTER_ROLLUP_SECONDS) : undefined,
  });
  process.stderr.write(`ejabberd exporter serving ${exporter.url}\n`);
  const stop = () => void exporter.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: Error) => {
  process.stderr.write(`ejabberd exporter: ${err.message}\n`);
  process.exit(1);
});
