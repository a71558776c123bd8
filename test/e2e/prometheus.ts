import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, spawnGroup, stopGroup } from "../../lib/host";
import { waitUntil } from "../../lib/wait";

/** Debian's prometheus package (scripts/system-deps.sh installs it). */
export const prometheusBin = "/usr/bin/prometheus";

export interface LocalPrometheus {
  url: string;
  /** Runs an instant PromQL query; returns each series' labels and value. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on loopback, in a temporary directory, scraping `metricsUrl` every second, so a test sees a
 * change within a second or two.
 */
export async function startPrometheus(metricsUrl: string): Promise<LocalPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "warbler-prometheus-"));
  const [port] = await freePorts(1);
  const target = new URL(metricsUrl);
  writeFileSync(
    join(dir, "prometheus.yml"),
    [
      "global: { scrape_interval: 1s, scrape_timeout: 1s }",
      "scrape_configs:",
      "  - job_name: ejabberd",
      `    metrics_path: ${target.pathname}`,
      `    static_configs: [{ targets: ["${target.host}"] }]`,
      "",
    ].join("\n"),
  );
  const child = spawnGroup(
    prometheusBin,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { cwd: dir },
  );
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const pgid = child.pid!;
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopGroup(pgid, "SIGTERM", 5000);
    rmSync(dir, { recursive: true, force: true });
  };
  const query = async (expr: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== "success") throw new Error(`PromQL ${expr}: ${body.error}`);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${stderr}`);
        return (await query('up{job="ejabberd"} == 1')).length === 1;
      },
      { what: "Prometheus to scrape the exporter", timeoutMs: 20_000, intervalMs: 250 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, query, stop };
}
