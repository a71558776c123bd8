/**
 * The rooms' dependency rules (.dependency-cruiser.cjs), checked with dependency-cruiser's CLI.
 * `npm run lint` runs this file; test/unit/layout/dependencies.test.ts calls `dependencyViolations`.
 * Prints each violation with the rule's reason and exits 1 when there is any.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const REPO = join(__dirname, "..");

/** The rooms the rules are checked over (test/ is left out: tests may reach into any room). */
export const ROOMS = [
  "config",
  "lib",
  "components",
  "charts",
  "failover",
  "plan",
  "local",
  "cli",
  "stacks",
  "policies",
  "scripts",
];

export interface DependencyViolation {
  rule: string;
  /** Why the rule exists and how to fix a violation, from the rule's comment. */
  reason: string;
  from: string;
  to: string;
  /** For a cycle, the modules in it, starting after `from`. @default - empty: not a cycle */
  cycle: string[];
}

export interface DependencyCheckOptions {
  /** The directory the rooms' paths are relative to. @default - the repository */
  cwd?: string;
  /** Files or directories to start from. @default - ROOMS */
  roots?: string[];
}

interface CruiseViolation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

/** Runs dependency-cruiser with the repository's rules and returns every violation, sorted. */
export function dependencyViolations(options: DependencyCheckOptions = {}): DependencyViolation[] {
  const config = join(REPO, ".dependency-cruiser.cjs");
  const cli = join(REPO, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
  const run = spawnSync(
    process.execPath,
    [cli, "--config", config, "--output-type", "json", ...(options.roots ?? ROOMS)],
    {
      cwd: options.cwd ?? REPO,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (run.error) throw run.error;
  let result: {
    summary: { violations: CruiseViolation[]; ruleSetUsed: { forbidden: { name: string; comment?: string }[] } };
  };
  try {
    result = JSON.parse(run.stdout);
  } catch {
    throw new Error(`dependency-cruiser failed (exit ${run.status}):\n${run.stderr.trim()}`);
  }
  const reasons = new Map(result.summary.ruleSetUsed.forbidden.map((r) => [r.name, r.comment ?? ""]));
  return result.summary.violations
    .map((v) => ({
      rule: v.rule.name,
      reason: reasons.get(v.rule.name) ?? "",
      from: v.from,
      to: v.to,
      cycle: (v.cycle ?? []).map((c) => c.name),
    }))
    .sort((a, b) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`));
}

/** One line per violation (a cycle names every module in it), then each broken rule's reason once. */
export function formatViolations(violations: DependencyViolation[]): string {
  const lines = violations.map((v) =>
    v.cycle.length > 0 ? `${v.rule}: ${[v.from, ...v.cycle].join(" → ")}` : `${v.rule}: ${v.from} → ${v.to}`,
  );
  const reasons = [...new Map(violations.map((v) => [v.rule, v.reason])).entries()].map(
    ([rule, reason]) => `  ${rule}: ${reason}`,
  );
  return [...lines, "", "Why:", ...reasons].join("\n");
}

if (require.main === module) {
  const violations = dependencyViolations();
  if (violations.length === 0) {
    console.log(`dependency rules: no violations in ${ROOMS.join(", ")}`);
  } else {
    console.error(
      `dependency rules: ${violations.length} violation(s) (.dependency-cruiser.cjs):\n${formatViolations(violations)}`,
    );
    process.exitCode = 1;
  }
}
