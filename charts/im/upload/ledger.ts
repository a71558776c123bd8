import pg from "pg";
import type { SlotPath } from "./token";

/**
 * The upload service's bookkeeping in PostgreSQL, in a schema of its own (`warbler_upload`, created by the database
 * Job and owned by the upload role). One row per slot: it makes a slot single-use (the key is the primary key),
 * sums a user's bytes for the quota, and tells the erasure sweep which objects a user owns. The role also needs to
 * read `users(username, server_host, created_at)` of ejabberd's schema, and nothing else of it:
 *
 *   GRANT USAGE ON SCHEMA public TO warbler_upload;
 *   GRANT SELECT (username, server_host, created_at) ON public.users TO warbler_upload;
 *   CREATE SCHEMA IF NOT EXISTS warbler_upload AUTHORIZATION warbler_upload;
 */

export const ledgerSchema = "warbler_upload";

/** Creates the table if it is missing; the service runs it at start, as the schema's owner. Idempotent. */
export const uploadLedgerSql = `
CREATE TABLE IF NOT EXISTS ${ledgerSchema}.files (
  key text PRIMARY KEY,
  owner text NOT NULL CHECK (owner ~ '^[0-9a-f]{40}$'),
  size bigint NOT NULL CHECK (size >= 0),
  content_type text NOT NULL,
  -- 'pending' while the body streams in: counted against the quota, not served.
  state text NOT NULL CHECK (state IN ('pending', 'stored')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS files_owner ON ${ledgerSchema}.files (owner);
`;

export type Reservation = "reserved" | "exists" | "quota";

export interface LedgerRow {
  key: string;
  owner: string;
  size: number;
  contentType: string;
  state: "pending" | "stored";
}

export class Ledger {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly usersTable: string,
  ) {}

  /** Connects and creates the table. `ejabberdSchema` holds ejabberd's `users` table. @default "public" */
  static async open(config: pg.PoolConfig, ejabberdSchema = "public"): Promise<Ledger> {
    const pool = new pg.Pool({ max: 10, ...config });
    // An idle client whose server went away emits 'error'; the next query reconnects.
    pool.on("error", () => undefined);
    try {
      await pool.query(uploadLedgerSql);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new Error(
        `cannot create ${ledgerSchema}.files (${(err as Error).message}); the database Job creates the schema ` +
          `${ledgerSchema} owned by the upload role (grants: charts/im/upload/ledger.ts)`,
      );
    }
    return new Ledger(pool, `${pg.escapeIdentifier(ejabberdSchema)}.users`);
  }

  /**
   * Reserves a slot for `size` bytes if the key was never used and the owner stays within `quotaBytes`. The owner's
   * rows are locked for the check (a transaction-scoped advisory lock on the owner), so two parallel uploads of
   * one user cannot both pass a quota only one of them fits in.
   */
  async reserve(slot: SlotPath, size: number, contentType: string, quotaBytes: number): Promise<Reservation> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [slot.owner]);
      const used = await client.query<{ used: string; taken: boolean }>(
        `SELECT coalesce(sum(size), 0) AS used, bool_or(key = $2) AS taken
           FROM ${ledgerSchema}.files WHERE owner = $1`,
        [slot.owner, slot.key],
      );
      const row = used.rows[0];
      let outcome: Reservation = "reserved";
      if (row.taken) outcome = "exists";
      else if (Number(row.used) + size > quotaBytes) outcome = "quota";
      else {
        await client.query(
          `INSERT INTO ${ledgerSchema}.files (key, owner, size, content_type, state)
           VALUES ($1, $2, $3, $4, 'pending')`,
          [slot.key, slot.owner, size, contentType],
        );
      }
      await client.query("COMMIT");
      return outcome;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Marks a reserved slot as stored: from now on it is served. */
  async complete(key: string): Promise<void> {
    await this.pool.query(`UPDATE ${ledgerSchema}.files SET state = 'stored' WHERE key = $1`, [key]);
  }

  /** Forgets a reservation whose upload failed, so the client may try the same slot again. */
  async release(key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${ledgerSchema}.files WHERE key = $1 AND state = 'pending'`, [key]);
  }

  /** Forgets a file (after its object was deleted). */
  async remove(key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${ledgerSchema}.files WHERE key = $1`, [key]);
  }

  async find(key: string): Promise<LedgerRow | undefined> {
    const r = await this.pool.query(
      `SELECT key, owner, size, content_type, state FROM ${ledgerSchema}.files WHERE key = $1`,
      [key],
    );
    return r.rows.map(toRow)[0];
  }

  /** Bytes an owner holds or has reserved. */
  async usage(owner: string): Promise<number> {
    const r = await this.pool.query<{ used: string }>(
      `SELECT coalesce(sum(size), 0) AS used FROM ${ledgerSchema}.files WHERE owner = $1`,
      [owner],
    );
    return Number(r.rows[0].used);
  }

  /** Every owner with at least one row. */
  async owners(): Promise<string[]> {
    const r = await this.pool.query<{ owner: string }>(`SELECT DISTINCT owner FROM ${ledgerSchema}.files`);
    return r.rows.map((row) => row.owner);
  }

  /** Rows of the given owners, and reservations older than `staleMs` (an upload that died with its pod). */
  async rowsToErase(owners: string[], staleMs: number): Promise<LedgerRow[]> {
    const r = await this.pool.query(
      `SELECT key, owner, size, content_type, state FROM ${ledgerSchema}.files
        WHERE owner = ANY($1) OR (state = 'pending' AND created_at < now() - make_interval(secs => $2))`,
      [owners, staleMs / 1000],
    );
    return r.rows.map(toRow);
  }

  /**
   * Files older than the account that now holds their owner's JID: the account was deleted and registered again
   * between two sweeps, and the earlier account's files must not pass to the new one. users.created_at is a
   * timestamp without time zone written by the same server's now(), so it is read in the same session time zone.
   */
  async rowsOlderThanAccount(
    accounts: { owner: string; username: string; serverHost: string }[],
  ): Promise<LedgerRow[]> {
    const r = await this.pool.query(
      `SELECT f.key, f.owner, f.size, f.content_type, f.state
         FROM ${ledgerSchema}.files f
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS a(owner, username, server_host) ON f.owner = a.owner
         JOIN ${this.usersTable} u ON u.username = a.username AND u.server_host = a.server_host
        WHERE f.created_at < u.created_at::timestamptz`,
      [accounts.map((a) => a.owner), accounts.map((a) => a.username), accounts.map((a) => a.serverHost)],
    );
    return r.rows.map(toRow);
  }

  /** The accounts of the given virtual hosts, as ejabberd stores them (username already stringprepped). */
  async accounts(domains: string[]): Promise<{ username: string; serverHost: string }[]> {
    const r = await this.pool.query<{ username: string; server_host: string }>(
      `SELECT username, server_host FROM ${this.usersTable} WHERE server_host = ANY($1)`,
      [domains],
    );
    return r.rows.map((row) => ({ username: row.username, serverHost: row.server_host }));
  }

  /**
   * Runs `work` while holding the sweep's session advisory lock, or returns undefined at once when another replica
   * holds it: every replica sweeps on a timer, and one sweep at a time is enough
   * (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).
   */
  async exclusively<T>(work: () => Promise<T>): Promise<T | undefined> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
        sweepLockKey,
      ]);
      if (!rows[0].locked) return undefined;
      try {
        return await work();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [sweepLockKey]);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The advisory lock key of the erasure sweep (a fixed number: "warbler-upload-sweep" has no other meaning). */
const sweepLockKey = 0x77617262;

function toRow(r: { key: string; owner: string; size: string; content_type: string; state: string }): LedgerRow {
  return {
    key: r.key,
    owner: r.owner,
    size: Number(r.size),
    contentType: r.content_type,
    state: r.state as LedgerRow["state"],
  };
}
