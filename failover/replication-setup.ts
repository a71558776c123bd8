/** Setting up replication: what each side publishes, the role the subscriber logs in as, and the subscription. */
import { ArgumentChecks } from "../lib/check";
import {
  type Direction,
  defaultNames,
  markerTable,
  type ReplicationDialect,
  type ReplicationNames,
  unpublishedTables,
} from "./replication-names";
import { quoteIdent, quoteLiteral, type SqlStep } from "./sql-step";

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
        `CREATE TABLE IF NOT EXISTS ${schema}.${markerTable} ` +
          "(token text PRIMARY KEY, origin text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
      ],
    },
    {
      name: "replica-identity",
      purpose:
        "UPDATE and DELETE replicate only for tables with a replica identity: keep a primary key; " +
        "else use a unique index over NOT NULL columns; else index the serial column (archive.id, spool.seq); " +
        "else REPLICA IDENTITY FULL",
      statements: [replicaIdentityBlock(names)],
    },
    {
      name: "publication",
      purpose:
        `publish every IM table of schema ${names.schema} ` +
        `except the live-state tables (${unpublishedTables.join(", ")})`,
      statements: [publicationBlock(names)],
    },
  ];
}

function replicaIdentityBlock(names: ReplicationNames): string {
  const schema = quoteLiteral(names.schema);
  const hasPrimaryKey = "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid AND i.indisprimary)";
  return `DO $warbler$
DECLARE
  t record;
  idx text;
  col text;
BEGIN
  FOR t IN ${tablesOfSchema(names).trim()} LOOP
    CONTINUE WHEN ${hasPrimaryKey} AND t.relreplident = 'd';
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
        EXECUTE format('CREATE UNIQUE INDEX IF NOT EXISTS %I ON %I.%I (%I)', idx, ${schema}, t.relname, col);
      END IF;
    END IF;
    IF idx IS NULL THEN
      EXECUTE format('ALTER TABLE %I.%I REPLICA IDENTITY FULL', ${schema}, t.relname);
    ELSE
      EXECUTE format('ALTER TABLE %I.%I REPLICA IDENTITY USING INDEX %I', ${schema}, t.relname, idx);
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
  const replicate =
    dialect.replicationGrant === "rds_replication role"
      ? `GRANT rds_replication TO ${role}`
      : `ALTER ROLE ${role} WITH REPLICATION`;
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
  const { host, port, database, sslmode } = endpoint;
  return `host=${host} port=${port} dbname=${database} user=${names.role} sslmode=${sslmode} application_name=warbler`;
}

/** Run on the subscriber: subscribe to the publisher's publication. */
export function subscriptionSteps(
  dir: Direction,
  endpoint: PublisherEndpoint,
  options: SubscriptionOptions,
  names: ReplicationNames = defaultNames,
): SqlStep[] {
  const { host, port, database } = endpoint;
  const check = new ArgumentChecks("invalid publisher endpoint");
  check.require(/^[a-zA-Z0-9.-]+$/.test(host), "host", host, "must be a host name or IPv4 address");
  check.require(Number.isInteger(port) && port >= 1 && port <= 65535, "port", port, "must be 1-65535");
  check.require(/^[a-zA-Z0-9_-]+$/.test(database), "database", database, "must be letters, digits, '_' or '-'");
  check.throwIfAny(RangeError);
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
      statements: [
        (spell) =>
          `CREATE SUBSCRIPTION ${sub} CONNECTION ${spell.conninfo(base, "replication_password")} ` +
          `PUBLICATION ${quoteIdent(names.publication)} WITH (${withOptions})`,
      ],
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
