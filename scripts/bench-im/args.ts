import { parseArgs } from "node:util";
import { ArgumentChecks } from "../../lib/check";
import { type LeverName, leverNames } from "./levers";

/** Scenarios: one ejabberd node, or three joined as the chart joins them. */
export const scenarios = ["single", "cluster"] as const;
export type Scenario = (typeof scenarios)[number];

/** Nodes per scenario. */
export const nodesOf = (scenario: Scenario): number => (scenario === "cluster" ? 3 : 1);

/** Open files an ejabberd node keeps for itself (listeners, database pool, code, logs, cluster links). */
export const serverHeadroom = 1_000;

export interface BenchOptions {
  scenario: Scenario;
  /** Sessions in all, WebSocket ones included. */
  connections: number;
  /** Of which over WebSocket (ejabberd's /ws listener), opened after the TLS ones. */
  websocket: number;
  /** TLS session counts, in all, at which memory is measured on the way up. */
  checkpoints: number[];
  /** Logins in flight, over all workers. */
  concurrency: number;
  messages: number;
  rate: number;
  storm: boolean;
  /** Reconnects spread their first attempt uniformly over this window. */
  stormJitterMs: number;
  soakMinutes: number;
  /** Bound on the whole run, in seconds. */
  durationS: number;
  /** A memory lever applied to the rendered configuration, for docs/memory-per-session.md. */
  lever: LeverName;
}

export interface ParsedArgs {
  options: BenchOptions;
  problems: readonly string[];
}

/**
 * Parses and checks `npm run bench:im` flags. `openFiles` is the per-process open-file limit here: each ejabberd
 * node holds at most `openFiles - serverHeadroom` sessions, which bounds `--connections` per scenario.
 */
export function parseBenchArgs(argv: string[], openFiles: number): ParsedArgs {
  const checks = new ArgumentChecks();
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scenario: { type: "string", default: "single" },
      connections: { type: "string" },
      websocket: { type: "string", default: "1000" },
      checkpoints: { type: "string" },
      concurrency: { type: "string", default: "100" },
      messages: { type: "string", default: "1000" },
      rate: { type: "string", default: "50" },
      storm: { type: "boolean", default: false },
      "storm-jitter-ms": { type: "string", default: "10000" },
      "soak-minutes": { type: "string", default: "0" },
      duration: { type: "string", default: "1800" },
      lever: { type: "string", default: "none" },
    },
  });
  const integer = (name: string, text: string, min: number, max: number, why = ""): number => {
    const n = Number(text);
    checks.require(
      text.trim() !== "" && Number.isInteger(n) && n >= min && n <= max,
      `--${name}`,
      text,
      `must be an integer from ${min} to ${max}${why}`,
    );
    return n;
  };
  const scenario = values.scenario as Scenario;
  checks.require(scenarios.includes(scenario), "--scenario", values.scenario, `must be one of ${scenarios.join(", ")}`);
  const nodes = nodesOf(scenarios.includes(scenario) ? scenario : "single");
  const perNode = Math.max(0, openFiles - serverHeadroom);
  const maxConnections = perNode * nodes;
  const connections = integer(
    "connections",
    values.connections ?? (scenario === "cluster" ? "50000" : "18000"),
    2,
    maxConnections,
    ` (${nodes} node(s) × ${perNode}: ${openFiles} open files per process here, less ${serverHeadroom} per node)`,
  );
  const websocket = integer("websocket", values.websocket!, 0, Math.max(0, connections - 2));
  const tls = connections - websocket;
  const checkpointText = values.checkpoints ?? (scenario === "single" && tls > 10_000 ? "10000" : "");
  const checkpoints = checkpointText
    .split(",")
    .filter((s) => s.trim() !== "")
    .map((s) => integer("checkpoints", s, 1, Math.max(1, tls - 1)));
  checks.require(
    checkpoints.every((c, i) => i === 0 || c > checkpoints[i - 1]),
    "--checkpoints",
    checkpointText,
    "must be ascending",
  );
  const lever = values.lever as LeverName;
  checks.require(leverNames.includes(lever), "--lever", values.lever, `must be one of ${leverNames.join(", ")}`);
  return {
    options: {
      scenario,
      connections,
      websocket,
      checkpoints,
      concurrency: integer("concurrency", values.concurrency!, 1, 2000),
      messages: integer("messages", values.messages!, 0, 100_000),
      rate: integer("rate", values.rate!, 1, 5000),
      storm: values.storm!,
      stormJitterMs: integer("storm-jitter-ms", values["storm-jitter-ms"]!, 0, 600_000),
      soakMinutes: integer("soak-minutes", values["soak-minutes"]!, 0, 120),
      durationS: integer("duration", values.duration!, 60, 14_400),
      lever,
    },
    problems: checks.problems,
  };
}
