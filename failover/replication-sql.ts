import { quoteIdent, quoteLiteral, type SqlStep } from "./sql-step";

/**
 * The one generator of replication SQL. The Kubernetes Job (production set
 * up), `warbler failover switchover|emergency` and the drill all build their
 * SQL here. Pure: every function returns text or steps and touches nothing.
 *
 * Steps discover the schema from the catalog at run time instead of carrying
 * a table list, so an ejabberd upgrade that adds tables is covered by a rerun.
 */

/** How a cloud's managed PostgreSQL lets an admin grant the right to replicate. */
export type ReplicationDialect = "aws" | "azure" | "alicloud" | "postgres";

export interface ReplicationNames {
  /** Schema that holds the ejabberd tables. @default "public" */
  schema: string;
  /** Publication on each side. @default "warbler_im" */
  publication: string;
  /** Login role the subscriber connects as. @default "warbler_replicator" */
  role: string;
}

export const defaultNames: ReplicationNames = { schema: "public", publication: "warbler_im", role: "warbler_replicator" };

/**
 * ejabberd tables that hold only the live state of running nodes (sessions,
 * routes, online rooms). Each node clears its own rows when it starts, so
 * copying them to another cloud would only churn; they are not published.
 */
export const unpublishedTables = ["sm", "route", "bosh", "proxy65", "muc_online_room", "muc_online_users"] as const;

/** Table whose rows are barriers: a row written on the fenced primary and seen on the standby proves the standby applied everything before it. */
export const markerTable = "warbler_failover_marker";

/** Names of one replication direction, from site `from` (publisher) to site `to` (subscriber). */
export interface Direction {
  /** Subscription on the subscriber. */
  subscription: string;
  /** Logical replication slot on the publisher. */
  slot: string;
}

const SITE_RE = /^[a-z][a-z0-9_]{0,19}$/;

/** Subscription and slot names for replicating `from` -> `to`; site names are cloud names such as `aws`. */
export function direction(from: string, to: string): Direction {
  const bad = [from, to].filter((s) => !SITE_RE.test(s));
  if (bad.length > 0) throw new RangeError(`site names (${bad.map((b) => JSON.stringify(b)).join(", ")}) must be 1-20 lowercase letters, digits or underscores, starting with a letter`);
  if (from === to) throw new RangeError(`a site cannot replicate to itself ('${from}')`);
  return { subscription: `warbler_from_${from}`, slot: `warbler_${from}_to_${to}` };
}

const tablesOfSchema = (names: ReplicationNames) => `
  SELECT c.oid, c.relname, c.relreplident
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ${quoteLiteral(names.schema)} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  ORDER BY c.relname`;

/**
 * Run on both sides before replication starts (the standby publishes after a
 * switchover): the barrier table, a replica identity for every table, and the
 * publication.
 */
export function prepareSteps(names: ReplicationNames = defaultNames): SqlStep[] {
  const schema = quoteIdent(names.schema);
  return [
    {
      name: "marker-table",
      purpose: "barrier rows prove the standby has applied everything committed before a fence",
      statements: [
        `CREATE TABLE IF NOT EXISTS ${schema}.${markerTable} (token text PRIMARY KEY, origin text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      ],
    },
    {
      name: "replica-identity",
      purpose:
        "UPDATE and DELETE replicate only for tables with a replica identity: keep a primary key; else use a unique index over NOT NULL columns; else index the serial column (archive.id, spool.seq); else REPLICA IDENTITY FULL",
      statements: [replicaIdentityBlock(names)],
    },
    {
      name: "publication",
      purpose: `publish every IM table of schema ${names.schema} except the live-state tables (${unpublishedTables.join(", ")})`,
      statements: [publicationBlock(names)],
    },
  ];
}

function replicaIdentityBlock(names: ReplicationNames): string {
  return `DO $warbler$
DECLARE
  t record;
  idx text;
  col text;
BEGIN
  FOR t IN ${tablesOfSchema(names).trim()} LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indisprimary) AND t.relreplident = 'd';
    CONTINUE WHEN t.relreplident IN ('i', 'f');
    idx := NULL;
    col := NULL;
    SELECT ic.relname INTO idx
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indrelid = t.oid AND i.indisunique AND i.indimmediate AND i.indisvalid
      AND i.indpred IS NULL AND i.indexprs IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM unnest(i.indkey::int2[]) AS k(attnum)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE NOT a.attnotnull)
    ORDER BY i.indnatts, ic.relname
    LIMIT 1;
    IF idx IS NULL THEN
      SELECT a.attname INTO col
      FROM pg_attribute a
      JOIN pg_depend d ON d.refobjid = t.oid AND d.refobjsubid = a.attnum
        AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      WHERE a.attrelid = t.oid AND a.attnotnull
      ORDER BY a.attnum
      LIMIT 1;
      IF col IS NOT NULL THEN
        idx := left('warbler_ri_' || t.relname, 63);
        EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON %I.%I (%I)', idx, ${quoteLiteral(names.schema)}, t.relname, col);
      END IF;
    END IF;
    IF idx IS NULL THEN
      EXECUTE format('ALTER TABLE %I.%I REPLICA IDENTITY FULL', ${quoteLiteral(names.schema)}, t.relname);
    ELSE
      EXECUTE format('ALTER TABLE %I.%I REPLICA IDENTITY USING INDEX %I', ${quoteLiteral(names.schema)}, t.relname, idx);
    END IF;
  END LOOP;
END
$warbler$`;
}

function publicationBlock(names: ReplicationNames): string {
  const excluded = [...unpublishedTables].map(quoteLiteral).join(", ");
  return `DO $warbler$
DECLARE
  tables text;
BEGIN
  SELECT string_agg(format('%I.%I', ${quoteLiteral(names.schema)}, t.relname), ', ') INTO tables
  FROM (${tablesOfSchema(names).trim()}) t
  WHERE t.relname NOT IN (${excluded});
  IF tables IS NULL THEN
    RAISE EXCEPTION 'schema % has no tables to publish; load the ejabberd schema first', ${quoteLiteral(names.schema)};
  END IF;
  IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ${quoteLiteral(names.publication)}) THEN
    EXECUTE format('ALTER PUBLICATION %I SET TABLE %s', ${quoteLiteral(names.publication)}, tables);
  ELSE
    EXECUTE format('CREATE PUBLICATION %I FOR TABLE %s', ${quoteLiteral(names.publication)}, tables);
  END IF;
END
$warbler$`;
}

/**
 * The login the subscriber uses: may replicate and read the IM tables,
 * nothing else. The password is a secret filled in when the step runs.
 */
export function roleSteps(dialect: ReplicationDialect, names: ReplicationNames = defaultNames): SqlStep[] {
  const role = quoteIdent(names.role);
  const schema = quoteIdent(names.schema);
  // RDS reserves the REPLICATION attribute to rdsadmin; rds_replication grants the same right.
  const replicate = dialect === "aws" ? `GRANT rds_replication TO ${role}` : `ALTER ROLE ${role} WITH REPLICATION`;
  return [
    {
      name: "replication-role",
      purpose: `create the login ${names.role} that the subscriber connects as`,
      needed: `NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(names.role)})`,
      statements: [(spell) => `CREATE ROLE ${role} WITH LOGIN PASSWORD ${spell.literal("replication_password")}`],
    },
    {
      name: "replication-role-password",
      purpose: "keep the role's password equal to the secret (a rotated secret takes effect on rerun)",
      statements: [(spell) => `ALTER ROLE ${role} WITH LOGIN PASSWORD ${spell.literal("replication_password")}`],
    },
    {
      name: "replication-grants",
      purpose: "the right to replicate, and to read the IM tables for the initial copy",
      statements: [
        replicate,
        `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${role}`,
      ],
    },
  ];
}

/** Where the subscriber reaches the publisher. The password comes from the `replication_password` secret. */
export interface PublisherEndpoint {
  host: string;
  port: number;
  database: string;
  /** libpq sslmode; `require` over the IPsec link, since managed servers cannot hold a peer cloud's CA file. */
  sslmode: "disable" | "prefer" | "require" | "verify-ca" | "verify-full";
}

export interface SubscriptionOptions {
  /** Copy existing rows first; false when both sides already hold the same data (reverse replication). */
  copyData: boolean;
  /** Create the slot on the publisher; false when a switchover created it ahead of time. */
  createSlot: boolean;
}

export function publisherConninfo(endpoint: PublisherEndpoint, names: ReplicationNames = defaultNames): string {
  return `host=${endpoint.host} port=${endpoint.port} dbname=${endpoint.database} user=${names.role} sslmode=${endpoint.sslmode} application_name=warbler`;
}

/** Run on the subscriber: subscribe to the publisher's publication. */
export function subscriptionSteps(dir: Direction, endpoint: PublisherEndpoint, options: SubscriptionOptions, names: ReplicationNames = defaultNames): SqlStep[] {
  const problems: string[] = [];
  if (!/^[a-zA-Z0-9.-]+$/.test(endpoint.host)) problems.push(`'host' (${JSON.stringify(endpoint.host)}) must be a host name or IPv4 address`);
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) problems.push(`'port' (${endpoint.port}) must be 1-65535`);
  if (!/^[a-zA-Z0-9_-]+$/.test(endpoint.database)) problems.push(`'database' (${JSON.stringify(endpoint.database)}) must be letters, digits, '_' or '-'`);
  if (problems.length > 0) throw new RangeError(`publisher endpoint is invalid: ${problems.join("; ")}`);
  const base = publisherConninfo(endpoint, names);
  const sub = quoteIdent(dir.subscription);
  const withOptions = [
    `copy_data = ${options.copyData}`,
    `create_slot = ${options.createSlot}`,
    `slot_name = ${quoteLiteral(dir.slot)}`,
  ].join(", ");
  return [
    {
      name: "subscription",
      purpose: `subscribe to ${names.publication} on ${endpoint.host} through slot ${dir.slot}`,
      needed: `NOT EXISTS (SELECT 1 FROM pg_subscription WHERE subname = ${quoteLiteral(dir.subscription)})`,
      statements: [(spell) => `CREATE SUBSCRIPTION ${sub} CONNECTION ${spell.conninfo(base, "replication_password")} PUBLICATION ${quoteIdent(names.publication)} WITH (${withOptions})`],
    },
    {
      name: "subscription-password",
      purpose: "keep the stored connection's password equal to the secret",
      statements: [(spell) => `ALTER SUBSCRIPTION ${sub} CONNECTION ${spell.conninfo(base, "replication_password")}`],
    },
    subscriptionEnableStep(dir),
  ];
}

/** Run on the subscriber: a subscription disabled by an aborted switchover resumes. */
export function subscriptionEnableStep(dir: Direction): SqlStep {
  return {
    name: "subscription-enabled",
    purpose: "a subscription disabled by an aborted switchover resumes",
    statements: [`ALTER SUBSCRIPTION ${quoteIdent(dir.subscription)} ENABLE`],
  };
}

/** Default for the current database, set so that new sessions start read-only (a standby, or a fenced primary). */
export function readOnlyStep(readOnly: boolean): SqlStep {
  const action = readOnly ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only";
  return {
    name: readOnly ? "database-read-only" : "database-writable",
    purpose: readOnly ? "new sessions start read-only, so applications cannot write here" : "new sessions may write again",
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
  return `INSERT INTO ${quoteIdent(names.schema)}.${markerTable} (token, origin) VALUES (${quoteLiteral(token)}, ${quoteLiteral(origin)}) ON CONFLICT (token) DO NOTHING`;
}

/** One boolean: the barrier row has been applied here. */
export function markerApplied(token: string, names: ReplicationNames = defaultNames): string {
  return `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(names.schema)}.${markerTable} WHERE token = ${quoteLiteral(token)}) AS applied`;
}

/** Every sequence of the schema with its last value, on the old primary: floors for the sync. */
export function sequenceValues(names: ReplicationNames = defaultNames): string {
  return `SELECT schemaname || '.' || sequencename AS name, coalesce(last_value, 0)::text AS last_value FROM pg_sequences WHERE schemaname = ${quoteLiteral(names.schema)} ORDER BY 1`;
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
export function sequenceSyncStep(gap: number, floors: Record<string, string> = {}, names: ReplicationNames = defaultNames): SqlStep {
  if (!Number.isSafeInteger(gap) || gap < 1) throw new RangeError(`sequence gap (${gap}) must be a positive integer`);
  const bad = Object.entries(floors).filter(([, v]) => !/^\d{1,19}$/.test(v));
  if (bad.length > 0) throw new RangeError(`sequence floors must be non-negative integers: ${bad.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}`);
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
    statements: [`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${quoteLiteral(slot)} AND NOT active`],
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
  return `SELECT o.remote_lsn::text AS remote_lsn, s.latest_end_lsn::text AS latest_end_lsn, s.last_msg_receipt_time AS last_message_at
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
    WHERE i.indrelid = c.oid AND ((c.relreplident = 'd' AND i.indisprimary) OR (c.relreplident = 'i' AND i.indisreplident))), '{}') AS key_columns
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

export interface SetupSite {
  name: string;
  dialect: ReplicationDialect;
}

/**
 * Everything that makes `standby` a subscriber of `primary`, per side: the
 * Kubernetes Job renders these as psql scripts, the drill runs them. Both
 * sides publish and hold the role, so a switchover can replicate back.
 */
export function setupSteps(primary: SetupSite, standby: SetupSite, publisher: PublisherEndpoint, names: ReplicationNames = defaultNames): { primary: SqlStep[]; standby: SqlStep[] } {
  return {
    primary: [...prepareSteps(names), ...roleSteps(primary.dialect, names)],
    standby: [
      ...prepareSteps(names),
      ...roleSteps(standby.dialect, names),
      readOnlyStep(true),
      ...subscriptionSteps(direction(primary.name, standby.name), publisher, { copyData: true, createSlot: true }, names),
    ],
  };
}
