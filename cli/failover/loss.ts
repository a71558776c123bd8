import { defaultNames, publishedIdentities, type ReplicationNames } from "../../components/failover/replication-sql";
import { quoteIdent } from "../../components/failover/sql-step";
import type { Db } from "./db";

export interface LossCount {
  rows: number;
  /** Only tables with missing rows. */
  byTable: Record<string, number>;
}

/**
 * Rows present on `oldPrimary` whose identity (primary key, replica
 * identity index, or the whole row for REPLICA IDENTITY FULL tables) is
 * absent on `newPrimary`: commits that never reached the new primary.
 * Rows updated on the old primary after the last replicated change are not
 * counted (their key exists on both sides); docs/failover.md says so.
 * Keys are held in memory, one table at a time.
 */
export async function countMissingRows(oldPrimary: Db, newPrimary: Db, names: ReplicationNames = defaultNames): Promise<LossCount> {
  const tables = await oldPrimary.query<{ table: string; key_columns: string[] }>(publishedIdentities(names));
  const byTable: Record<string, number> = {};
  let rows = 0;
  for (const { table, key_columns: keyColumns } of tables) {
    const relation = `${quoteIdent(names.schema)}.${quoteIdent(table)}`;
    const key = keyColumns.length > 0 ? `ROW(${keyColumns.map(quoteIdent).join(", ")})::text` : "t::text";
    const sql = `SELECT ${key} AS k FROM ${relation} t`;
    const present = new Set((await newPrimary.query<{ k: string }>(sql)).map((r) => r.k));
    const missing = (await oldPrimary.query<{ k: string }>(sql)).filter((r) => !present.has(r.k)).length;
    if (missing > 0) byTable[table] = missing;
    rows += missing;
  }
  return { rows, byTable };
}
