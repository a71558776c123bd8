/**
 * No source file outside test/ over MAX_LINES lines: a file that long holds more than one concern
 * (STYLE.md 11). `npm run lint` runs this file; test/unit/layout/file-size.test.ts calls `oversizedFiles`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const REPO = join(__dirname, "..");

export const MAX_LINES = 400;

/** Directories never checked: tests, dependencies, generated output. */
const SKIPPED = new Set(["test", "node_modules", "out", ".git", ".tmp"]);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

export interface OversizedFile {
  /** Path relative to the root, with forward slashes. */
  path: string;
  lines: number;
}

/** Lines as `wc -l` counts them, plus a last line without a newline. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  const newlines = text.split("\n").length - 1;
  return text.endsWith("\n") ? newlines : newlines + 1;
}

/** Every source file under `root` outside test/, dependencies and generated output, relative with forward slashes. */
export function sourceFiles(root = REPO): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) walk(path);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        found.push(relative(root, path).split(sep).join("/"));
      }
    }
  };
  walk(root);
  return found.sort();
}

/** Every source file under `root` (outside test/) longer than `limit` lines, longest first. */
export function oversizedFiles(root = REPO, limit = MAX_LINES): OversizedFile[] {
  return sourceFiles(root)
    .map((path) => ({ path, lines: countLines(readFileSync(join(root, path), "utf8")) }))
    .filter((f) => f.lines > limit)
    .sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path));
}

if (require.main === module) {
  const offenders = oversizedFiles();
  if (offenders.length === 0) {
    console.log(`file size: no source file outside test/ is over ${MAX_LINES} lines`);
  } else {
    console.error(`file size: ${offenders.length} source file(s) over ${MAX_LINES} lines; split each by concern:`);
    for (const f of offenders) console.error(`  ${f.path}: ${f.lines} lines`);
    process.exitCode = 1;
  }
}
