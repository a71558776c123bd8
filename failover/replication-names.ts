/**
 * What the replication SQL is named after and what differs between servers:
 * the objects both sides share, and how an admin grants the right to replicate.
 */
import { ArgumentChecks } from "../lib/check";

/**
 * How a PostgreSQL server lets an admin grant the right to replicate. RDS
 * reserves the REPLICATION attribute to rdsadmin and grants the same right
 * through its `rds_replication` role; every other server takes the attribute.
 */
export const replicationGrants = ["rds_replication role", "REPLICATION attribute"] as const;
export type ReplicationGrant = (typeof replicationGrants)[number];

/**
 * What differs between PostgreSQL servers in the replication SQL. Each kit
 * describes its managed server (components/<cloud>/replication.ts); the
 * failover engine takes it with each site.
 */
export interface ReplicationDialect {
  replicationGrant: ReplicationGrant;
}

/** Stock PostgreSQL, as the drill runs it. */
export const stockPostgres: ReplicationDialect = { replicationGrant: "REPLICATION attribute" };

export interface ReplicationNames {
  /** Schema that holds the ejabberd tables. @default "public" */
  schema: string;
  /** Publication on each side. @default "warbler_im" */
  publication: string;
  /** Login role the subscriber connects as. @default "warbler_replicator" */
  role: string;
}

export const defaultNames: ReplicationNames = {
  schema: "public",
  publication: "warbler_im",
  role: "warbler_replicator",
};

/**
 * ejabberd tables that hold only the live state of running nodes (sessions,
 * routes, online rooms). Each node clears its own rows when it starts, so
 * copying them to another cloud would only churn; they are not published.
 */
export const unpublishedTables = ["sm", "route", "bosh", "proxy65", "muc_online_room", "muc_online_users"] as const;

/**
 * Table whose rows are barriers: a row written on the fenced primary and seen
 * on the standby proves the standby applied everything before it.
 */
export const markerTable = "warbler_failover_marker";

/** Names of one replication direction, from site `from` (publisher) to site `to` (subscriber). */
export interface Direction {
  /** Subscription on the subscriber. */
  subscription: string;
  /** Logical replication slot on the publisher. */
  slot: string;
}

const SITE_RE = /^[a-z][a-z0-9_]{0,19}$/;

/** Subscription and slot names for replicating `from` -> `to`; site names are the sites file's names (the clouds). */
export function direction(from: string, to: string): Direction {
  const check = new ArgumentChecks();
  const siteName = "must be 1-20 lowercase letters, digits or underscores, starting with a letter";
  check.require(SITE_RE.test(from), "from", from, siteName);
  check.require(SITE_RE.test(to), "to", to, siteName);
  check.require(from !== to, "to", to, "must differ from 'from': a site cannot replicate to itself");
  check.throwIfAny(RangeError);
  return { subscription: `warbler_from_${from}`, slot: `warbler_${from}_to_${to}` };
}
