import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { clouds } from "../../config/clouds";
import { drillProblem, PLANNED_RTO_TARGET_MS } from "../../failover/drill/bar";
import { runDrill } from "../../failover/drill/drill";
import { type FailoverReport, type Operation, StepFailed } from "../../failover/engine";
import { abortFailover, type FailoverRequest, planFailover, runFailover, StateConflict } from "../../failover/run";
import { loadSitesFile } from "../../failover/sites-file";
import { ArgumentChecks } from "../../lib/check";
import { ExitCode, FailedError, InputError } from "../../lib/errors";
import { progress } from "../../lib/progress";

interface MoveOptions {
  to: string;
  sites: string;
  state?: string;
  report?: string;
  dryRun?: boolean;
  abort?: boolean;
}

interface DrillCliOptions {
  json?: boolean;
  steadyMs: string;
  lagMs: string;
}

export function registerFailoverCommand(program: Command): void {
  const failover = program
    .command("failover")
    .description("Move the IM platform between clouds: planned switchover, emergency failover, and a local drill.");

  for (const operation of ["switchover", "emergency"] as const) {
    const command = failover
      .command(operation)
      .description(
        operation === "switchover"
          ? "Planned move: fence the primary, wait for zero lag, sync sequences, promote the standby, scale it " +
              "up, replicate back."
          : "Unplanned move: the primary is gone. Promote the standby, report the last replicated position and " +
              "the rows lost.",
      )
      .requiredOption("--to <cloud>", `the standby that becomes primary (${clouds.join(", ")})`)
      .requiredOption("--sites <file>", "sites file: how to reach each cloud's database and cluster (docs/failover.md)")
      .option(
        "--state <file>",
        "state file that lets a rerun continue (default: .warbler/failover-<operation>-<to>.json)",
      )
      .option("--report <file>", "also write the JSON report to <file> (it always goes to stdout)")
      .option("--dry-run", "print the steps and which are already done; change nothing");
    if (operation === "switchover") command.option("--abort", "undo a switchover that stopped before the promotion");
    command
      .addHelpText(
        "after",
        "\nEvery step is idempotent and logged to stderr; a rerun with the same state file continues after a " +
          "failure.\n" +
          "Exit codes: 0 done, 1 a step failed (rerun, or --abort a switchover), 2 bad arguments, sites file or state.",
      )
      .action(async (options: MoveOptions) => {
        process.exitCode = await runMove(operation, options);
      });
  }

  failover
    .command("drill")
    .description(
      "Drill on this machine: two real PostgreSQL 15 servers, continuous IM writes, switchover, switchback, emergency.",
    )
    .option("--json", "print one JSON document instead of summary lines")
    .option("--steady-ms <ms>", "writes before and after each move", "1500")
    .option("--lag-ms <ms>", "replication lag injected before the emergency, so there is a loss to measure", "1000")
    .addHelpText(
      "after",
      `\nExit codes: 0 every scenario met its bar (planned: 0 rows lost, RTO < ${PLANNED_RTO_TARGET_MS} ms; ` +
        `emergency: reported RPO = rows lost), 1 one did not, 2 bad arguments.`,
    )
    .action(async (options: DrillCliOptions) => {
      process.exitCode = await runDrillCommand(options);
    });
}

async function runMove(operation: Operation, options: MoveOptions): Promise<number> {
  const flags = new ArgumentChecks();
  const known = (clouds as readonly string[]).includes(options.to);
  flags.require(known, "--to", options.to, `must be one of ${clouds.join(", ")}`);
  const rerun = "undoes a switchover only; an emergency failover is completed by a rerun";
  flags.require(!options.abort || operation === "switchover", "--abort", options.abort, rerun);
  flags.throwIfAny(InputError);
  // Loaded here, not at the top: the registry brings every cloud SDK, which no other command needs.
  const { kitFor }: typeof import("../../components/kits") = require("../../components/kits");
  const { sites, settings } = loadSitesFile(options.sites, (cloud) => kitFor(cloud).replication.dialect);
  const to = sites.get(options.to);
  const others = [...sites.values()].filter((s) => s.name !== options.to);
  const named = `it names ${[...sites.keys()].join(", ") || "none"}`;
  const file = new ArgumentChecks();
  file.require(to !== undefined, "--to", options.to, `must be a site of the sites file; ${named}`);
  const pair = `must name exactly two sites, the standby '${options.to}' and the current primary; ${named}`;
  if (to) file.require(others.length === 1, "--sites", options.sites, pair);
  file.throwIfAny(InputError);
  const request: FailoverRequest = {
    operation,
    from: others[0],
    // Set: without it, the check above threw.
    to: to!,
    settings,
    statePath: options.state ?? `.warbler/failover-${operation}-${options.to}.json`,
    log: progress(true),
  };
  try {
    if (options.dryRun) {
      const plan = planFailover(request);
      const { from, to, statePath: state } = request;
      const summary = { operation, from: from.name, to: to.name, state, steps: plan };
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return ExitCode.ok;
    }
    const report = options.abort ? await abortFailover(request) : await runFailover(request);
    emit(report, options.report);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof StateConflict) throw new InputError(err.message);
    if (err instanceof StepFailed) {
      throw new FailedError(
        `${err.message}\nThe state is saved in ${request.statePath}: rerun the same command to ` +
          `continue${operation === "switchover" ? ", or add --abort to undo" : ""}.`,
      );
    }
    throw err;
  }
}

function emit(report: FailoverReport, path?: string): void {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (path) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  process.stdout.write(text);
}

async function runDrillCommand(options: DrillCliOptions): Promise<number> {
  const steadyMs = Number(options.steadyMs);
  const lagMs = Number(options.lagMs);
  const check = new ArgumentChecks();
  const steadyOk = Number.isInteger(steadyMs) && steadyMs >= 200 && steadyMs <= 60_000;
  check.require(steadyOk, "--steady-ms", options.steadyMs, "must be an integer from 200 to 60000");
  const lagOk = Number.isInteger(lagMs) && lagMs >= 0 && lagMs <= 60_000;
  check.require(lagOk, "--lag-ms", options.lagMs, "must be an integer from 0 to 60000");
  check.throwIfAny(InputError);
  const scenarios = await runDrill({ steadyMs, emergencyLagMs: lagMs, log: progress(true) });
  const problems = scenarios.flatMap((s) => {
    const problem = drillProblem(s);
    return problem ? [`${s.name}: ${problem}`] : [];
  });
  if (options.json) {
    const doc = {
      scenarios: scenarios.map(({ name, rowsWritten, rowsLost, rtoMs, reportedRpoRows }) => ({
        name,
        rowsWritten,
        rowsLost,
        rtoMs,
        reportedRpoRows,
      })),
    };
    process.stdout.write(`${JSON.stringify(doc)}\n`);
  } else {
    for (const s of scenarios) {
      process.stdout.write(
        `${s.name.padEnd(10)} ${s.from} -> ${s.to}: rows written ${s.rowsWritten}, rows lost ${s.rowsLost}, ` +
          `RTO ${s.rtoMs} ms (reported RPO ${String(s.reportedRpoRows)} rows)\n`,
      );
    }
  }
  if (problems.length > 0)
    throw new FailedError(`the drill missed its bar:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return ExitCode.ok;
}
