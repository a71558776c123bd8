/** Moving the primary: fencing, barriers, sequences, slots and the positions and checks the engine waits on. */
import { ArgumentChecks } from "../lib/check";
import { type Direction, defaultNames, markerTable, type ReplicationNames } from "./replication-names";
import { quoteIdent, quoteLiteral, type SqlStep } from "./sql-step";

/** Default for the current database, set so that new sessions start read-only (a standby, or a fenced primary). */
export function readOnlyStep(readOnly: boolean): SqlStep {
  const action = readOnly ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only";
  return {
    name: readOnly ? "database-read-only" : "database-writable",
    purpose: readOnly
      ? "new sessions start read-only, so applications cannot write here"
      : "new sessions may write again",
    statements: [`DO $warbler$ BEGIN EXECUTE format('ALTER DATABASE %I ${action}', current_database()); END $warbler$`],
  };
}

/**
 * Fencing a primary: new sessions start read-only, and every open
 * application session (whose read-write default predates the change) is
 * ended. Replication connections and this session stay.
 */
export function fenceSteps(names: ReplicationNames = defaultNames): SqlStep[] {
  return [
    readOnlyStep(true),
    {
      name: "end-sessions",
      purpose: "end application sessions that opened before the fence and could still write",
      statements: [
        `SELECT count(pg_terminate_backend(pid)) AS ended FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
  AND usename IS DISTINCT FROM ${quoteLiteral(names.role)}`,
      ],
    },
  ];
}

/** Writes a barrier row on the fenced primary; the session must be read-write (the engine's are). */
export function markerInsert(token: string, origin: string, names: ReplicationNames = defaultNames): string {
  const values = `(${quoteLiteral(token)}, ${quoteLiteral(origin)})`;
  const table = `${quoteIdent(names.schema)}.${markerTable}`;
  return `INSERT INTO ${table} (token, origin) VALUES ${values} ON CONFLICT (token) DO NOTHING`;
}

/** One boolean: the barrier row has been applied here. */
export function markerApplied(token: string, names: ReplicationNames = defaultNames): string {
  const table = `${quoteIdent(names.schema)}.${markerTable}`;
  return `SELECT EXISTS (SELECT 1 FROM ${table} WHERE token = ${quoteLiteral(token)}) AS applied`;
}

/** Every sequence of the schema with its last value, on the old primary: floors for the sync. */
export function sequenceValues(names: ReplicationNames = defaultNames): string {
  return (
    "SELECT schemaname || '.' || sequencename AS name, coalesce(last_value, 0)::text AS last_value " +
    `FROM pg_sequences WHERE schemaname = ${quoteLiteral(names.schema)} ORDER BY 1`
  );
}

/**
 * Logical replication copies rows, not sequences: on the new primary every
 * sequence still stands where it was when the subscription started. Each is
 * set above the highest value in the column it feeds and above the old
 * primary's own value (`floors`, when the old primary is reachable), plus
 * `gap`, and never lowered. The gap keeps ids used by writes that never
 * reached the standby free, so rows recovered later from the old primary
 * do not collide.
 */
export function sequenceSyncStep(
  gap: number,
  floors: Record<string, string> = {},
  names: ReplicationNames = defaultNames,
): SqlStep {
  const check = new ArgumentChecks();
  check.require(Number.isSafeInteger(gap) && gap >= 1, "gap", gap, "must be a positive integer");
  for (const [sequence, floor] of Object.entries(floors)) {
    const name = `floors[${JSON.stringify(sequence)}]`;
    check.require(/^\d{1,19}$/.test(floor), name, floor, "must be a non-negative integer");
  }
  check.throwIfAny(RangeError);
  return {
    name: "sync-sequences",
    purpose: `set every sequence above the rows it numbered and the old primary's value, plus ${gap}`,
    statements: [
      `DO $warbler$
DECLARE
  s record;
  top bigint;
  floors jsonb := ${quoteLiteral(JSON.stringify(floors))}::jsonb;
BEGIN
  FOR s IN
    SELECT seq.oid::regclass AS seq, n.nspname || '.' || seq.relname AS key, t.relname AS tbl, a.attname AS col
    FROM pg_class seq
    JOIN pg_namespace n ON n.oid = seq.relnamespace
    LEFT JOIN pg_depend d ON d.objid = seq.oid AND d.classid = 'pg_class'::regclass
      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    LEFT JOIN pg_class t ON t.oid = d.refobjid
    LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE seq.relkind = 'S' AND n.nspname = ${quoteLiteral(names.schema)}
  LOOP
    top := 0;
    IF s.col IS NOT NULL THEN
      EXECUTE format('SELECT coalesce(max(%I), 0) FROM %I.%I', s.col, ${quoteLiteral(names.schema)}, s.tbl) INTO top;
    END IF;
    top := greatest(top, coalesce((floors ->> s.key)::bigint, 0)) + ${gap};
    EXECUTE format('SELECT greatest(%s, last_value) FROM %s', top, s.seq) INTO top;
    PERFORM setval(s.seq, top);
  END LOOP;
END
$warbler$`,
    ],
  };
}

/**
 * Ends a subscription without reaching its publisher (which may be gone):
 * disable, detach the slot, drop. The slot left on the publisher is dropped
 * by `dropSlot` when that server is reachable.
 */
export function detachSubscriptionStep(dir: Direction): SqlStep {
  const sub = quoteLiteral(dir.subscription);
  return {
    name: "drop-subscription",
    purpose: `stop applying changes through ${dir.subscription}`,
    statements: [
      `DO $warbler$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_subscription WHERE subname = ${sub}) THEN
    EXECUTE format('ALTER SUBSCRIPTION %I DISABLE', ${sub});
    EXECUTE format('ALTER SUBSCRIPTION %I SET (slot_name = NONE)', ${sub});
    EXECUTE format('DROP SUBSCRIPTION %I', ${sub});
  END IF;
END
$warbler$`,
    ],
  };
}

/** Drops a logical slot on a publisher once nothing uses it; WAL would otherwise pile up behind it. */
export function dropSlotStep(slot: string): SqlStep {
  return {
    name: "drop-slot",
    purpose: `release WAL held for ${slot}`,
    statements: [
      "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots " +
        `WHERE slot_name = ${quoteLiteral(slot)} AND NOT active`,
    ],
  };
}

/**
 * Creates the reverse direction's slot on the new primary before it accepts
 * writes, so that reverse replication starts exactly at the promotion and
 * loses nothing, however late the old primary subscribes.
 */
export function createSlotStep(slot: string): SqlStep {
  return {
    name: "reverse-slot",
    purpose: `reserve WAL from the promotion onwards for ${slot}`,
    needed: `NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ${quoteLiteral(slot)})`,
    statements: [`SELECT pg_create_logical_replication_slot(${quoteLiteral(slot)}, 'pgoutput') IS NOT NULL AS created`],
  };
}

/**
 * Where the subscriber stands: the publisher's LSN of the last change
 * applied, and when the last message arrived. Empty once the subscription
 * is gone.
 */
export function subscriptionPosition(dir: Direction): string {
  return `SELECT o.remote_lsn::text AS remote_lsn, s.latest_end_lsn::text AS latest_end_lsn,
  s.last_msg_receipt_time AS last_message_at
FROM pg_subscription sub
LEFT JOIN pg_replication_origin_status o ON o.external_id = 'pg_' || sub.oid
LEFT JOIN pg_stat_subscription s ON s.subid = sub.oid AND s.relid IS NULL
WHERE sub.subname = ${quoteLiteral(dir.subscription)}`;
}

/**
 * Published tables with the columns that identify a row (the replica
 * identity: primary key or chosen index; empty for FULL, where the whole
 * row is the identity). The loss count compares these between two servers.
 */
export function publishedIdentities(names: ReplicationNames = defaultNames): string {
  return `SELECT c.relname AS table,
  coalesce((SELECT array_agg(a.attname::text ORDER BY k.ord)
    FROM pg_index i
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE i.indrelid = c.oid
      AND ((c.relreplident = 'd' AND i.indisprimary) OR (c.relreplident = 'i' AND i.indisreplident))),
    '{}') AS key_columns
FROM pg_publication_tables p
JOIN pg_namespace n ON n.nspname = p.schemaname
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = p.tablename
WHERE p.pubname = ${quoteLiteral(names.publication)}
ORDER BY 1`;
}

/**
 * One boolean: the subscription's apply worker runs and every table has
 * finished its initial copy. Until then a barrier row proves nothing about
 * tables still being copied, and a new subscription may wait for the
 * launcher (wal_retrieve_retry_interval, 5 s by default) before it starts.
 */
export function subscriptionReady(dir: Direction): string {
  const sub = quoteLiteral(dir.subscription);
  return `SELECT EXISTS (
    SELECT 1 FROM pg_stat_subscription ss JOIN pg_subscription s ON s.oid = ss.subid
    WHERE s.subname = ${sub} AND ss.relid IS NULL AND ss.pid IS NOT NULL)
  AND NOT EXISTS (
    SELECT 1 FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
    WHERE s.subname = ${sub} AND r.srsubstate <> 'r') AS ready`;
}
