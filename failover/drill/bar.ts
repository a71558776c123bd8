/**
 * The drill's pass/fail bar: what each scenario of `warbler failover drill` must meet. The CLI
 * prints the verdict; the bar itself belongs to the drill.
 */
import type { DrillScenario } from "./drill";

/** The drill's bar for a planned move, from issue 6. */
export const PLANNED_RTO_TARGET_MS = 5000;

/** Why a scenario misses its bar, or undefined when it meets it. */
export function drillProblem(s: DrillScenario): string | undefined {
  if (s.collisions > 0) return `${s.collisions} writes hit a duplicate key on the new primary (sequences not synced)`;
  if (s.name === "emergency") {
    return s.reportedRpoRows === s.rowsLost
      ? undefined
      : `reported RPO ${String(s.reportedRpoRows)} rows, but ${s.rowsLost} rows are missing`;
  }
  if (s.rowsLost > 0 || s.acknowledgedLost > 0) return `${s.rowsLost} rows lost (${s.acknowledgedLost} acknowledged)`;
  if (s.rtoMs >= PLANNED_RTO_TARGET_MS) return `RTO ${s.rtoMs} ms is not under ${PLANNED_RTO_TARGET_MS} ms`;
  return undefined;
}
