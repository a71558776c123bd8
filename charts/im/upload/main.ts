import { readFileSync } from "node:fs";
import { configFromEnvironment, storeFromEnvironment, usage } from "./environment";
import { startUploadService } from "./server";

/** Starts the service from the environment (environment.ts lists every variable); `--help` prints them. */
async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const env = process.env;
  const config = configFromEnvironment(env);
  const read = (file: string) => readFileSync(file, "utf8").trim();
  const service = await startUploadService({
    host: "0.0.0.0",
    port: config.port,
    secret: read(config.secretFile),
    database: { connectionString: read(config.databaseUrlFile) },
    store: storeFromEnvironment(env, config.backend),
    maxFileSize: config.maxFileSize,
    quotaBytes: config.quotaBytes,
    contentTypes: { refuse: config.refusedTypes },
    domains: config.domains,
    eraseIntervalMs: config.eraseIntervalMs,
    pathPrefix: config.pathPrefix,
    metrics: { host: "0.0.0.0", port: config.metricsPort },
  });
  process.stderr.write(`warbler upload service serving ${service.url}, metrics ${service.metricsUrl}\n`);
  // Kubernetes sends SIGTERM and waits terminationGracePeriodSeconds: finish uploads under way, then exit.
  const stop = () => void service.stop().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: Error) => {
  process.stderr.write(`warbler upload service: ${err.message}\n`);
  process.exit(1);
});
