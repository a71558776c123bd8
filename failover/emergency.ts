import type { Db } from "./db";
import type { EngineStep } from "./engine";
import { countMissingRows } from "./loss";
import {
  detachSubscriptionStep,
  direction,
  fenceSteps,
  readOnlyStep,
  sequenceSyncStep,
  subscriptionPosition,
} from "./replication-sql";
import { serveSteps } from "./serve-steps";
import type { Sessions } from "./sessions";
import type { FailoverSettings, Site } from "./site";

/** How long the emergency path waits for a dead primary before treating it as gone. */
const OLD_PRIMARY_TIMEOUT_MS = 3000;

/**
 * The unplanned move: `from` is gone. The standby is promoted with what it
 * has; the last replicated position is recorded; the loss is counted
 * exactly once the old primary's database can be read again (a rerun of
 * the same command does that, after fencing it so it cannot take writes).
 */
export function emergencySteps(from: Site, to: Site, settings: FailoverSettings, sessions: Sessions): EngineStep[] {
  const forward = direction(from.name, to.name);
  return [
    {
      name: "fence-health",
      description: `${from.name}'s IM health endpoint reports unhealthy (if it still answers)`,
      run: async (values) => {
        values.writesStoppedAt ??= Date.now();
        try {
          await from.health.fence();
          return "fenced";
        } catch (err) {
          return `unreachable, left to DNS health checks: ${(err as Error).message}`;
        }
      },
    },
    {
      name: "last-position",
      description: `record the last change ${to.name} applied from ${from.name}`,
      run: async (values) => {
        const [row] = await sessions.with(to, (db) =>
          db.query<{ remote_lsn: string | null; last_message_at: Date | null }>(subscriptionPosition(forward)),
        );
        if (!row)
          return values.lastReplicated
            ? `recorded earlier: ${values.lastReplicated.remoteLsn ?? "none"}`
            : "no subscription (promoted before?)";
        values.lastReplicated = {
          remoteLsn: row.remote_lsn,
          lastMessageAt: row.last_message_at ? row.last_message_at.toISOString() : null,
        };
        return `remote LSN ${row.remote_lsn ?? "none"}, last message ${values.lastReplicated.lastMessageAt ?? "never"}`;
      },
    },
    {
      name: "drop-subscription",
      description: `${to.name} stops subscribing (without reaching ${from.name})`,
      run: async () => {
        await sessions.with(to, (db) => db.run(detachSubscriptionStep(forward)));
        return forward.subscription;
      },
    },
    {
      name: "sync-sequences",
      description: `${to.name}'s sequences jump ${settings.emergencySequenceGap} past its highest ids`,
      run: async () => {
        await sessions.with(to, (db) => db.run(sequenceSyncStep(settings.emergencySequenceGap)));
        return `gap ${settings.emergencySequenceGap}`;
      },
    },
    {
      name: "promote",
      description: `${to.name}'s database accepts writes`,
      run: async (values) => {
        await sessions.with(to, (db) => db.run(readOnlyStep(false)));
        values.writesResumedAt ??= Date.now();
        return "writable";
      },
    },
    ...serveSteps(to),
    {
      name: "measure-loss",
      description: `fence ${from.name}'s database if it answers, and count its rows missing on ${to.name}`,
      run: async (values) => {
        let oldDb: Db;
        try {
          oldDb = await sessions.get(from, OLD_PRIMARY_TIMEOUT_MS);
        } catch (err) {
          values.rpoRows = null;
          return {
            pending:
              `${from.name} unreachable (${(err as Error).message}); rerun this command when its database is ` +
              `back to count the loss`,
          };
        }
        await oldDb.runAll(fenceSteps());
        const loss = await countMissingRows(oldDb, await sessions.get(to));
        values.rpoRows = loss.rows;
        values.rpoByTable = loss.byTable;
        return `${loss.rows} rows lost`;
      },
    },
  ];
}
