/**
 * No line over MAX_COLUMNS characters in a .ts, .js, .cjs or .sh file anywhere in the repository, tests included.
 * Biome formats code to 120 columns but leaves long strings and comments alone; this check catches those.
 * `npm run lint` runs this file; test/unit/layout/line-length.test.ts calls `longLines`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const REPO = join(__dirname, "..");

export const MAX_COLUMNS = 120;

/** Directories never checked: dependencies and generated output. */
const SKIPPED = new Set(["node_modules", "out", ".git", ".tmp"]);
const CHECKED = /\.(ts|js|cjs|sh)$/;

export interface LongLine {
  /** Path relative to the root, with forward slashes. */
  path: string;
  /** 1-based line number. */
  line: number;
  length: number;
}

/** Every checked file under `root`, relative with forward slashes. */
export function checkedFiles(root = REPO): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) walk(path);
      } else if (entry.isFile() && CHECKED.test(entry.name)) {
        found.push(relative(root, path).split(sep).join("/"));
      }
    }
  };
  walk(root);
  return found.sort();
}

/** Every line over `limit` characters (code points, as `awk length` counts in a UTF-8 locale) under `root`. */
export function longLines(root = REPO, limit = MAX_COLUMNS): LongLine[] {
  const found: LongLine[] = [];
  for (const path of checkedFiles(root)) {
    const lines = readFileSync(join(root, path), "utf8").split("\n");
    lines.forEach((text, i) => {
      const length = [...text.replace(/\r$/, "")].length;
      if (length > limit) found.push({ path, line: i + 1, length });
    });
  }
  return found;
}

if (require.main === module) {
  const offenders = longLines();
  if (offenders.length === 0) {
    console.log(`line length: no .ts/.js/.cjs/.sh line is over ${MAX_COLUMNS} characters`);
  } else {
    console.error(`line length: ${offenders.length} line(s) over ${MAX_COLUMNS} characters; wrap each:`);
    for (const l of offenders) console.error(`  ${l.path}:${l.line}: ${l.length} characters`);
    process.exitCode = 1;
  }
}
