import { randomUUID } from "node:crypto";
import type { Progress } from "../lib/progress";
import { emergencySteps } from "./emergency";
import {
  buildReport,
  type EngineStep,
  type FailoverReport,
  newState,
  type Operation,
  type RunState,
  runSteps,
  StateFile,
} from "./engine";
import { Sessions } from "./sessions";
import type { FailoverSettings, Site } from "./site";
import { abortSteps, switchoverSteps } from "./switchover";

export interface FailoverRequest {
  operation: Operation;
  /** The current primary. */
  from: Site;
  /** The standby that becomes primary. */
  to: Site;
  settings: FailoverSettings;
  /** Where the run's state is kept between reruns. */
  statePath: string;
  log: Progress;
}

/** Raised for a request that contradicts the state file; the CLI maps it to exit 2. */
export class StateConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateConflict";
  }
}

function stepsFor(request: FailoverRequest, sessions: Sessions, state: RunState): EngineStep[] {
  return request.operation === "switchover"
    ? switchoverSteps(request.from, request.to, request.settings, sessions, state.runId)
    : emergencySteps(request.from, request.to, request.settings, sessions);
}

/** The state of this request's run: the one in the state file, if it is the same move, or a new one. */
function loadState(request: FailoverRequest, file: StateFile): RunState {
  const existing = file.read();
  if (!existing) return newState(request.operation, request.from.name, request.to.name, randomUUID());
  const same =
    existing.operation === request.operation && existing.from === request.from.name && existing.to === request.to.name;
  if (!same) {
    throw new StateConflict(
      `state file ${file.path} belongs to a ${existing.operation} from ${existing.from} to ${existing.to} ` +
        `(${existing.status}); finish or abort that run, or move the file away to start another`,
    );
  }
  if (existing.status === "aborted")
    throw new StateConflict(
      `the run in ${file.path} was aborted; move the file away to start a new ${existing.operation}`,
    );
  return existing;
}

/**
 * Runs (or continues) a switchover or emergency failover. Steps done in an
 * earlier run of the same state file are skipped, so a rerun after a
 * failure completes the move.
 */
export async function runFailover(request: FailoverRequest): Promise<FailoverReport> {
  const file = new StateFile(request.statePath);
  const state = loadState(request, file);
  state.status = "running";
  const sessions = new Sessions();
  const steps = stepsFor(request, sessions, state);
  try {
    await runSteps(steps, state, file, request.log);
  } finally {
    await sessions.closeAll();
  }
  return buildReport(
    state,
    steps.map((s) => s.name),
  );
}

/** The steps a run would take, and which are done already: the `--dry-run` view. */
export function planFailover(request: FailoverRequest): { step: string; description: string; status: string }[] {
  const file = new StateFile(request.statePath);
  const state = loadState(request, file);
  return stepsFor(request, new Sessions(), state).map((s) => ({
    step: s.name,
    description: s.description,
    status:
      state.steps[s.name]?.status === "done" && !s.always
        ? "done, will be skipped"
        : (state.steps[s.name]?.status ?? "to do"),
  }));
}

/** Undoes a switchover that stopped before the standby was promoted. */
export async function abortFailover(request: FailoverRequest): Promise<FailoverReport> {
  const file = new StateFile(request.statePath);
  const state = file.read();
  if (!state) throw new StateConflict(`there is no run to abort: ${file.path} does not exist`);
  if (state.operation !== "switchover")
    throw new StateConflict("an emergency failover cannot be aborted: the old primary is gone; rerun it to complete");
  if (state.from !== request.from.name || state.to !== request.to.name) {
    throw new StateConflict(`state file ${file.path} belongs to a switchover from ${state.from} to ${state.to}`);
  }
  if (state.steps.promote?.status === "done") {
    throw new StateConflict(
      `${state.to} was already promoted and may hold new writes; rerun the switchover to complete it, then switch back`,
    );
  }
  const sessions = new Sessions();
  const steps = abortSteps(request.from, request.to, request.settings, sessions);
  try {
    await runSteps(steps, state, file, request.log);
  } finally {
    await sessions.closeAll();
  }
  state.status = "aborted";
  file.write(state);
  return buildReport(state, [...Object.keys(state.steps)]);
}
