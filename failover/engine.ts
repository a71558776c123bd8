import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Progress } from "../lib/progress";

export type Operation = "switchover" | "emergency";

export interface StepRecord {
  name: string;
  status: "done" | "pending" | "failed";
  startedAt: string;
  durationMs: number;
  detail?: string;
}

/** What the old primary's last replicated change was, as the new primary saw it. */
export interface ReplicatedPosition {
  /** Publisher LSN of the last change applied (pg_replication_origin_status). */
  remoteLsn: string | null;
  /** When the subscriber last heard from the publisher. */
  lastMessageAt: string | null;
}

/** Facts steps record for later steps, reruns and the report. */
export interface RunValues {
  /** Epoch ms when the old primary stopped accepting writes (the fence). */
  writesStoppedAt?: number;
  /** Epoch ms when the new primary started accepting writes (the promotion). */
  writesResumedAt?: number;
  /** Old primary's sequence values, read after the fence. */
  sequenceFloors?: Record<string, string>;
  lastReplicated?: ReplicatedPosition;
  /** Rows committed on the old primary that the new one lacks; null while unknown. */
  rpoRows?: number | null;
  rpoByTable?: Record<string, number>;
}

/**
 * The state file of one failover: what has been done, so that a rerun
 * continues where a failure stopped and `--abort` knows what to undo.
 */
export interface RunState {
  version: 1;
  operation: Operation;
  from: string;
  to: string;
  /** Unique per run; the barrier row's token. */
  runId: string;
  status: "running" | "completed" | "aborted";
  startedAt: string;
  steps: Record<string, StepRecord>;
  values: RunValues;
}

export interface EngineStep {
  name: string;
  /** One line for `--dry-run` and logs. */
  description: string;
  /** Runs again on a rerun even when done (it checks something that may have changed). */
  always?: boolean;
  /** Returns a detail for the log; `pending` marks a step to retry on the next run without failing this one. */
  run(values: RunValues): Promise<string | { pending: string }>;
}

export class StateFile {
  constructor(readonly path: string) {}

  read(): RunState | undefined {
    if (!existsSync(this.path)) return undefined;
    const state = JSON.parse(readFileSync(this.path, "utf8")) as RunState;
    if (state.version !== 1)
      throw new Error(`state file ${this.path} has version ${String(state.version)}; this warbler reads version 1`);
    return state;
  }

  write(state: RunState): void {
    mkdirSync(dirname(this.path), { recursive: true });
    // Write then rename: a crash mid-write must not leave a torn state file.
    writeFileSync(`${this.path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${this.path}.tmp`, this.path);
  }
}

/** Raised when a step fails; the state file records how far the run got. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly cause: unknown,
  ) {
    super(`step '${step}' failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "StepFailed";
  }
}

/**
 * Runs steps in order, skipping those already done in `state`, saving the
 * state after every step. A thrown error stops the run with the state saved.
 */
export async function runSteps(
  steps: EngineStep[],
  state: RunState,
  file: StateFile,
  log: Progress,
): Promise<RunState> {
  for (const step of steps) {
    const previous = state.steps[step.name];
    if (previous?.status === "done" && !step.always) {
      log.info(`= ${step.name}: done in an earlier run`);
      continue;
    }
    const startedAt = new Date();
    const done = log.step(`${step.name}: ${step.description}`);
    try {
      const result = await step.run(state.values);
      const pending = typeof result === "object";
      state.steps[step.name] = {
        name: step.name,
        status: pending ? "pending" : "done",
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        detail: pending ? result.pending : result,
      };
      file.write(state);
      done(pending ? `pending: ${result.pending}` : result);
    } catch (err) {
      state.steps[step.name] = {
        name: step.name,
        status: "failed",
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        detail: err instanceof Error ? err.message : String(err),
      };
      file.write(state);
      throw new StepFailed(step.name, err);
    }
  }
  state.status = "completed";
  file.write(state);
  return state;
}

/** The machine-readable result of a failover, written as JSON. */
export interface FailoverReport {
  operation: Operation;
  from: string;
  to: string;
  status: RunState["status"];
  startedAt: string;
  steps: StepRecord[];
  /**
   * Time during which no writes were accepted: the fence (or, in an emergency, the command's start) to the promotion.
   */
  rtoMs: number | null;
  rpo: {
    /** Rows committed on the old primary that the new one lacks; null when the old primary could not be reached. */
    rows: number | null;
    byTable?: Record<string, number>;
    method: string;
  };
  lastReplicated?: ReplicatedPosition;
}

export function buildReport(state: RunState, order: string[]): FailoverReport {
  const { writesStoppedAt, writesResumedAt } = state.values;
  const planned = state.operation === "switchover";
  return {
    operation: state.operation,
    from: state.from,
    to: state.to,
    status: state.status,
    startedAt: state.startedAt,
    steps: order.flatMap((name) => (state.steps[name] ? [state.steps[name]] : [])),
    rtoMs: writesStoppedAt !== undefined && writesResumedAt !== undefined ? writesResumedAt - writesStoppedAt : null,
    rpo: planned
      ? {
          rows: state.values.rpoRows ?? null,
          method:
            "the standby applied a barrier row written after the fence, so every earlier commit; rows counted " +
            "by key after the switch",
        }
      : {
          rows: state.values.rpoRows ?? null,
          byTable: state.values.rpoByTable,
          method:
            state.values.rpoRows === undefined || state.values.rpoRows === null
              ? "unknown until the old primary's database can be read; rerun the same command to count"
              : "rows on the old primary whose replica-identity key is missing on the new primary",
        },
    lastReplicated: state.values.lastReplicated,
  };
}

export function newState(operation: Operation, from: string, to: string, runId: string): RunState {
  return {
    version: 1,
    operation,
    from,
    to,
    runId,
    status: "running",
    startedAt: new Date().toISOString(),
    steps: {},
    values: {},
  };
}
