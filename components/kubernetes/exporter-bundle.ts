import { join } from "node:path";
import { buildSync } from "esbuild";

const entry = join(__dirname, "..", "..", "charts", "im", "exporter", "main.ts");

let cached: string | undefined;

/**
 * The metrics exporter (charts/im/exporter/) as one CommonJS file for Node 20,
 * which the chart ships in a ConfigMap and runs with the pinned node image:
 * no image of our own to build and publish. Deterministic, so the config
 * checksum only changes when the exporter does.
 */
export function exporterBundle(): string {
  if (cached === undefined) {
    const result = buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      minify: true,
      legalComments: "none",
      write: false,
      // pg loads its optional native binding only when asked for; it is not installed.
      external: ["pg-native"],
    });
    cached = result.outputFiles[0].text;
  }
  return cached;
}
