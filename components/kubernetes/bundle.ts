import { join } from "node:path";
import { type BuildOptions, buildSync } from "esbuild";

const built = new Map<string, Uint8Array>();

/**
 * A program that runs in the IM pods (`charts/im/<dir>/main.ts`) as one minified CommonJS file for Node 20, which
 * the chart ships in a ConfigMap and runs with the pinned node image: no image of our own to build and publish.
 * Deterministic, so checksums change only when the program does. Built once per process.
 */
export function buildPodScript(dir: string, options: Pick<BuildOptions, "external" | "define" | "banner"> = {}) {
  let output = built.get(dir);
  if (output === undefined) {
    const result = buildSync({
      entryPoints: [join(__dirname, "..", "..", "charts", "im", dir, "main.ts")],
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      minify: true,
      legalComments: "none",
      write: false,
      ...options,
    });
    output = result.outputFiles[0].contents;
    built.set(dir, output);
  }
  return output;
}

/** The metrics exporter (charts/im/exporter/); pg's optional native binding is left out (pg loads it on request). */
export function exporterBundle(): string {
  return Buffer.from(buildPodScript("exporter", { external: ["pg-native"] })).toString("utf8");
}

/** The database TLS proxy (charts/im/sql-tls-proxy/): Node built-ins only. */
export function sqlTlsProxyBundle(): string {
  return Buffer.from(buildPodScript("sql-tls-proxy")).toString("utf8");
}
