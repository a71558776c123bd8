import { waitUntil } from "../lib/wait";
import type { EngineStep } from "./engine";
import { countMissingRows } from "./loss";
import {
  createSlotStep,
  type Direction,
  detachSubscriptionStep,
  direction,
  dropSlotStep,
  fenceSteps,
  markerApplied,
  markerInsert,
  prepareSteps,
  readOnlyStep,
  roleSteps,
  sequenceSyncStep,
  sequenceValues,
  subscriptionEnableStep,
  subscriptionReady,
  subscriptionSteps,
} from "./replication-sql";
import { serveSteps } from "./serve-steps";
import type { Sessions } from "./sessions";
import type { FailoverSettings, Site } from "./site";

const POLL_MS = 25;

/** wal_level as the server runs it, and whether a changed value waits for a restart. */
interface WalLevel extends Record<string, unknown> {
  setting: string;
  pending_restart: boolean;
}

const walLevelQuery = "SELECT setting, pending_restart FROM pg_settings WHERE name = 'wal_level'";

/**
 * Why `site` cannot publish yet, or undefined. wal_level is a static parameter: a managed server that was told
 * `logical` (Azure's server parameter, AWS's rds.logical_replication) keeps running the old level until it is
 * restarted, and only then can it create the reverse slot a switchover needs.
 */
export function walLevelProblem(site: string, level: WalLevel | undefined): string | undefined {
  if (level?.setting === "logical") return undefined;
  const pending = level?.pending_restart ? " (a new value is set and waits for a restart)" : "";
  return (
    `${site} runs wal_level=${level?.setting ?? "unknown"}${pending}, not logical, so it could not publish after ` +
    "the switchover: restart its database server once (docs/failover.md, Replication parameters) and run the " +
    "switchover again; nothing was fenced"
  );
}

/**
 * The planned move from `from` (primary) to `to` (standby). Order matters
 * for zero loss: writes stop (health fence, then database fence), a barrier
 * row proves the standby applied everything, the reverse slot is created
 * before the new primary accepts a single write, and only then is it
 * promoted. Every step is idempotent, so a rerun after a failure completes.
 */
export function switchoverSteps(
  from: Site,
  to: Site,
  settings: FailoverSettings,
  sessions: Sessions,
  runId: string,
): EngineStep[] {
  const forward = direction(from.name, to.name);
  const reverse = direction(to.name, from.name);
  const secrets = { replication_password: settings.replicationPassword };
  return [
    {
      name: "preflight",
      description: `both databases answer and ${to.name} subscribes to ${from.name}`,
      run: async () => {
        await sessions.with(from, (db) => db.query("SELECT 1"));
        // Both ends publish at some point (the reverse slot is created on `to` after users were fenced), so both
        // must run wal_level=logical now, not merely have it set: it is static (docs/azure.md, restart step).
        for (const site of [from, to]) {
          const [level] = await sessions.with(site, (db) => db.query<WalLevel>(walLevelQuery));
          const problem = walLevelProblem(site.name, level);
          if (problem) throw new Error(problem);
        }
        const subs = await sessions.with(to, (db) =>
          db.query<{ enabled: boolean }>(
            `SELECT subenabled AS enabled FROM pg_subscription WHERE subname = '${forward.subscription}'`,
          ),
        );
        if (subs.length === 0)
          throw new Error(
            `${to.name} has no subscription ${forward.subscription}; it is not a standby of ${from.name} (was ` +
              `the switchover already completed?)`,
          );
        return `subscription ${forward.subscription} ${subs[0].enabled ? "enabled" : "disabled"}`;
      },
    },
    {
      name: "prepare-reverse",
      description: `${to.name} can publish back to ${from.name} (publication, replica identities, replication role)`,
      run: async () =>
        (await sessions.with(to, (db) => db.runAll([...prepareSteps(), ...roleSteps(to.dialect)], secrets))).join(
          ", ",
        ) || "already prepared",
    },
    {
      name: "fence-health",
      description: `${from.name}'s IM health endpoint reports unhealthy, so DNS sends users to ${to.name}`,
      run: async () => {
        await from.health.fence();
        return "fenced";
      },
    },
    {
      name: "fence-database",
      description: `${from.name}'s database becomes read-only and open sessions end`,
      run: async (values) => {
        const rows = await sessions.with(from, async (db) => {
          await db.run(fenceSteps()[0]);
          return (await db.run(fenceSteps()[1])).rows;
        });
        values.writesStoppedAt ??= Date.now();
        return `${String(rows?.[0]?.ended ?? 0)} sessions ended`;
      },
    },
    {
      name: "barrier",
      description: `write a barrier row on ${from.name} after the fence`,
      run: async () => {
        await sessions.with(from, (db) => db.query(markerInsert(runId, from.name)));
        return `token ${runId}`;
      },
    },
    {
      name: "wait-applied",
      description: `wait until ${to.name} has applied the barrier, and so every earlier commit`,
      run: async () => {
        const started = Date.now();
        const applied = async () => {
          const [row] = await sessions.with(to, (db) => db.query<{ applied: boolean }>(markerApplied(runId)));
          const [sync] = await sessions.with(to, (db) => db.query<{ ready: boolean }>(subscriptionReady(forward)));
          return row?.applied && sync?.ready;
        };
        await waitUntil(applied, {
          what: `${to.name} to apply the barrier (check its subscription ${forward.subscription})`,
          timeoutMs: settings.catchUpTimeoutMs,
          intervalMs: POLL_MS,
        });
        return `applied after ${Date.now() - started} ms`;
      },
    },
    {
      name: "read-sequences",
      description: `read ${from.name}'s sequence values`,
      run: async (values) => {
        const rows = await sessions.with(from, (db) =>
          db.query<{ name: string; last_value: string }>(sequenceValues()),
        );
        values.sequenceFloors = Object.fromEntries(rows.map((r) => [r.name, r.last_value]));
        return `${rows.length} sequences`;
      },
    },
    {
      name: "drop-subscription",
      description: `${to.name} stops subscribing to ${from.name}`,
      run: async () => {
        await sessions.with(to, (db) => db.run(detachSubscriptionStep(forward)));
        return forward.subscription;
      },
    },
    {
      name: "drop-slot",
      description: `${from.name} releases the forward slot`,
      run: async () => dropSlotUntilGone(sessions, from, forward.slot),
    },
    {
      name: "reverse-slot",
      description: `${to.name} reserves its changes from now on for ${from.name}`,
      run: async () => {
        const outcome = await sessions.with(to, (db) => db.run(createSlotStep(reverse.slot)));
        return outcome.ran ? `created ${reverse.slot}` : `${reverse.slot} exists`;
      },
    },
    {
      name: "sync-sequences",
      description: `${to.name}'s sequences move above every id used on ${from.name}`,
      run: async (values) => {
        await sessions.with(to, (db) =>
          db.run(sequenceSyncStep(settings.plannedSequenceGap, values.sequenceFloors ?? {})),
        );
        return `gap ${settings.plannedSequenceGap}`;
      },
    },
    {
      name: "promote",
      description: `${to.name}'s database accepts writes`,
      run: async (values) => {
        await sessions.with(to, (db) => db.run(readOnlyStep(false)));
        values.writesResumedAt ??= Date.now();
        return `no writes for ${values.writesResumedAt - (values.writesStoppedAt ?? values.writesResumedAt)} ms`;
      },
    },
    ...serveSteps(to),
    {
      name: "reverse-replication",
      description: `${from.name} becomes the standby: it subscribes to ${to.name} from the promotion onwards`,
      run: async () => {
        const ran = await sessions.with(from, (db) =>
          db.runAll(subscriptionSteps(reverse, to.replication, { copyData: false, createSlot: false }), secrets),
        );
        const waited = await waitUntilStreaming(sessions, from, reverse, settings.catchUpTimeoutMs);
        return (
          `${ran.includes("subscription") ? `created ${reverse.subscription}` : `${reverse.subscription} exists`}, ` +
          `streaming after ${waited} ms`
        );
      },
    },
    {
      name: "verify",
      description: `count rows on ${from.name} missing on ${to.name}`,
      always: true,
      run: async (values) => {
        const oldDb = await sessions.get(from);
        const newDb = await sessions.get(to);
        const loss = await countMissingRows(oldDb, newDb);
        values.rpoRows = loss.rows;
        values.rpoByTable = loss.byTable;
        return `${loss.rows} rows missing`;
      },
    },
  ];
}

/**
 * Undoes a switchover that has not promoted the standby: the standby
 * subscribes again (from where it stopped, without copying), the old
 * primary accepts writes and reports healthy. After the promotion the
 * standby may hold writes of its own, so an abort is refused there.
 */
export function abortSteps(from: Site, to: Site, settings: FailoverSettings, sessions: Sessions): EngineStep[] {
  const forward = direction(from.name, to.name);
  const reverse = direction(to.name, from.name);
  const secrets = { replication_password: settings.replicationPassword };
  return [
    {
      name: "abort-standby",
      description: `${to.name} subscribes to ${from.name} again and stays read-only`,
      run: async () => {
        return sessions.with(to, async (db) => {
          const [sub] = await db.query(`SELECT 1 FROM pg_subscription WHERE subname = '${forward.subscription}'`);
          if (sub) {
            await db.run(subscriptionEnableStep(forward));
            return "subscription re-enabled";
          }
          await db.run(dropSlotStep(reverse.slot));
          await sessions.with(from, (primary) => primary.run(dropSlotStep(forward.slot)));
          // The barrier proved the standby applied everything before the fence, so nothing needs copying.
          await db.runAll(subscriptionSteps(forward, from.replication, { copyData: false, createSlot: true }), secrets);
          return "subscription re-created";
        });
      },
    },
    {
      name: "abort-primary",
      description: `${from.name}'s database accepts writes again`,
      run: async () => {
        await sessions.with(from, (db) => db.run(readOnlyStep(false)));
        return "writable";
      },
    },
    {
      name: "abort-health",
      description: `${from.name}'s IM health endpoint reports healthy again`,
      run: async () => {
        await from.health.unfence();
        return "unfenced";
      },
    },
  ];
}

/** Waits until a subscription's worker runs and its tables are copied; returns the wait in ms. */
export async function waitUntilStreaming(
  sessions: Sessions,
  site: Site,
  dir: Direction,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  const streaming = async () => {
    const [row] = await sessions.with(site, (db) => db.query<{ ready: boolean }>(subscriptionReady(dir)));
    return row?.ready;
  };
  await waitUntil(streaming, {
    what: `subscription ${dir.subscription} on ${site.name} to stream (check both servers' logs, then rerun)`,
    timeoutMs,
    intervalMs: POLL_MS,
  });
  return Date.now() - started;
}

/** A walsender lingers for a moment after its subscription is dropped; the slot can go only then. */
async function dropSlotUntilGone(sessions: Sessions, site: Site, slot: string): Promise<string> {
  const started = Date.now();
  const gone = async () => {
    const left = await sessions.with(site, async (db) => {
      await db.run(dropSlotStep(slot));
      return db.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = '${slot}'`);
    });
    return left.length === 0;
  };
  await waitUntil(gone, { what: `slot ${slot} to be released and dropped`, timeoutMs: 10_000, intervalMs: POLL_MS });
  return `${slot} gone after ${Date.now() - started} ms`;
}
