import { Db } from "../../failover/db";
import type { DrillPair } from "../../failover/drill/drill";
import { waitUntil } from "../../lib/wait";

export type Site = "east" | "west";

/** SQL against a drill pair's two servers as their admin, for tests that write rows and watch them replicate. */
export function pairSql(pair: () => DrillPair) {
  async function query<T extends Record<string, unknown>>(site: Site, sql: string): Promise<T[]> {
    const db = await Db.connect(pair()[site].site.admin);
    try {
      return await db.query<T>(sql);
    } finally {
      await db.close();
    }
  }
  const insertUser = (site: Site, username: string) =>
    query(site, `INSERT INTO users (username, server_host, password) VALUES ('${username}', 'chat.example.com', 'x')`);
  /** Replication applies a row within a few hundred ms; 15 s means it never will. */
  const arrived = (site: Site, username: string, what: string) =>
    waitUntil(async () => (await query(site, `SELECT 1 FROM users WHERE username = '${username}'`)).length === 1, {
      what,
      timeoutMs: 15_000,
      intervalMs: 50,
    });
  return { query, insertUser, arrived };
}
