import type { Refusal } from "./limits";

/** The counters the service keeps, rendered in the Prometheus text format (version 0.0.4) on its metrics port. */
interface Counter {
  help: string;
  values: Map<string, number>;
}

const definitions = {
  warbler_upload_uploads_total: "Files stored.",
  warbler_upload_uploaded_bytes_total: "Bytes of files stored.",
  warbler_upload_downloads_total: "GET answers that sent a file.",
  warbler_upload_downloaded_bytes_total: "Bytes of files sent to GET requests (full bodies; a client may stop early).",
  warbler_upload_refusals_total: "PUT requests refused, by reason.",
  warbler_upload_not_found_total: "GET or HEAD requests for a file that does not exist (or was erased).",
  warbler_upload_store_errors_total: "Failed calls to the object store, by operation.",
  warbler_upload_erased_files_total: "Files deleted by the erasure sweep (deleted accounts and abandoned uploads).",
  warbler_upload_sweep_errors_total: "Erasure sweeps that failed.",
} as const;

export type CounterName = keyof typeof definitions;

export class Metrics {
  private readonly counters = new Map<CounterName, Counter>(
    (Object.keys(definitions) as CounterName[]).map((name) => [name, { help: definitions[name], values: new Map() }]),
  );

  constructor(private readonly backend: string) {}

  add(name: CounterName, value = 1, labels: Record<string, string> = {}): void {
    const counter = this.counters.get(name)!;
    const key = renderLabels({ backend: this.backend, ...labels });
    counter.values.set(key, (counter.values.get(key) ?? 0) + value);
  }

  refused(reason: Refusal): void {
    this.add("warbler_upload_refusals_total", 1, { reason });
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      // A counter never seen still shows, at 0, so alerts on rate() have a series from the start.
      const values = counter.values.size > 0 ? counter.values : new Map([[renderLabels({ backend: this.backend }), 0]]);
      for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

function renderLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`,
  );
  return `{${parts.join(",")}}`;
}
