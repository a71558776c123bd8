import type { Db } from "./db";
import { defaultNames, publishedIdentities, type ReplicationNames } from "./replication-sql";
import { quoteIdent } from "./sql-step";

export interface LossCount {
  rows: number;
  /** Only tables with missing rows. */
  byTable: Record<string, number>;
}

/** Hash buckets per table: only buckets whose count or checksum differ have their keys fetched. */
const BUCKETS = 65536;

/**
 * Rows present on `oldPrimary` whose identity (primary key, replica
 * identity index, or the whole row for REPLICA IDENTITY FULL tables) is
 * absent on `newPrimary`: commits that never reached the new primary.
 * Rows updated on the old primary after the last replicated change are not
 * counted (their key exists on both sides); docs/failover.md says so.
 * Each side first sums its keys' hashes per bucket in SQL; keys are fetched
 * only for buckets that differ, so memory follows the rows that differ (lost
 * rows and writes since the promotion), not the size of the archive.
 */
export async function countMissingRows(
  oldPrimary: Db,
  newPrimary: Db,
  names: ReplicationNames = defaultNames,
): Promise<LossCount> {
  const tables = await oldPrimary.query<{ table: string; key_columns: string[] }>(publishedIdentities(names));
  const byTable: Record<string, number> = {};
  let rows = 0;
  for (const { table, key_columns: keyColumns } of tables) {
    const relation = `${quoteIdent(names.schema)}.${quoteIdent(table)}`;
    const key = keyColumns.length > 0 ? `ROW(${keyColumns.map(quoteIdent).join(", ")})::text` : "t::text";
    const bucket = `(hashtext(${key}) & ${BUCKETS - 1})`;
    const summary =
      `SELECT ${bucket} AS b, count(*)::text || ':' || sum(hashtext(${key})::bigint)::text AS digest ` +
      `FROM ${relation} t GROUP BY 1`;
    const [oldBuckets, newBuckets] = await Promise.all([
      oldPrimary.query<{ b: number; digest: string }>(summary),
      newPrimary.query<{ b: number; digest: string }>(summary),
    ]);
    const newDigest = new Map(newBuckets.map((r) => [r.b, r.digest]));
    const differing = oldBuckets.filter((r) => newDigest.get(r.b) !== r.digest).map((r) => Number(r.b));
    if (differing.length === 0) continue;
    const keys = `SELECT ${key} AS k FROM ${relation} t WHERE ${bucket} IN (${differing.join(", ")})`;
    const present = new Set((await newPrimary.query<{ k: string }>(keys)).map((r) => r.k));
    const missing = (await oldPrimary.query<{ k: string }>(keys)).filter((r) => !present.has(r.k)).length;
    if (missing > 0) byTable[table] = missing;
    rows += missing;
  }
  return { rows, byTable };
}
