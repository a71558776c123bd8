/**
 * Progress for anything that takes more than a second. Lines go to stderr so
 * that stdout stays machine-readable (JSON lines, tables piped elsewhere).
 */
export interface Progress {
  /** Starts a named step; the returned function ends it and prints its duration. */
  step(label: string): (detail?: string) => void;
  info(message: string): void;
}

export function progress(enabled = true, stream: NodeJS.WritableStream = process.stderr): Progress {
  const write = (line: string) => {
    if (enabled) stream.write(`${line}\n`);
  };
  return {
    step(label) {
      const started = Date.now();
      write(`… ${label}`);
      return (detail) => write(`✓ ${label}${detail ? ` (${detail})` : ""} in ${Date.now() - started} ms`);
    },
    info: write,
  };
}
