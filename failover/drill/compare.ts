import type { Db } from "../db";
import type { Ack } from "./writer";

/** The tables the drill writes, each with the columns that identify a row. */
const WRITTEN_TABLES: Record<string, string> = {
  archive: "id::text",
  users: "username",
  roster_version: "username",
  rosterusers: "username || '/' || jid",
};

async function keys(db: Db): Promise<Set<string>> {
  const all = new Set<string>();
  for (const [table, key] of Object.entries(WRITTEN_TABLES)) {
    for (const row of await db.query<{ k: string }>(`SELECT ${key} AS k FROM ${table}`)) all.add(`${table}:${row.k}`);
  }
  return all;
}

/**
 * The drill's own count of lost rows, independent of the failover engine:
 * rows the old primary holds that the new primary lacks, and acknowledged
 * writes the new primary lacks.
 */
export async function compareDatabases(
  oldPrimary: Db,
  newPrimary: Db,
  acks: Ack[],
): Promise<{ rowsLost: number; acknowledgedLost: string[] }> {
  const before = await keys(oldPrimary);
  const after = await keys(newPrimary);
  const rowsLost = [...before].filter((k) => !after.has(k)).length;
  const acknowledgedLost = acks.flatMap((a) => a.rows).filter((k) => !after.has(k));
  return { rowsLost, acknowledgedLost };
}
