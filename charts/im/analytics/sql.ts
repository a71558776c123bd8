/**
 * The analytics schema and the queries over it (docs/analytics.md). Pure text: the database setup script
 * (charts/im/database-roles.ts) creates the schema, the exporter (charts/im/exporter/) writes it, and
 * `warbler analytics` reads it. Analytics hold counts and, for at most `activityRetentionDays`, which accounts were
 * active on which day; never message content.
 */

/** The schema, owned by the database admin; the exporter role gets only the rights below. */
export const analyticsSchema = "warbler_analytics";

/** Days of per-account activity kept: the monthly window (30 days) plus the day being written. */
export const activityRetentionDays = 31;

const s = analyticsSchema;

/**
 * A stored message is counted once: a one-to-one message is archived once per party, and only the sender's copy
 * counts (the `from` of the archived stanza's opening tag is the archive owner); a group message is archived once,
 * in the room's archive, whose owner is `room@service`. Only this SECURITY DEFINER function reads the archive's
 * stanzas; its callers see counts.
 */
const roomArchive = "a.kind = 'groupchat' AND strpos(a.username, '@') > 0";
const messageClass = `CASE
      WHEN ${roomArchive} THEN 'group'
      WHEN a.kind IN ('chat', 'normal') AND substring(substring(a.xml from '^<message[^>]*>')
        from ' from=[''"]([^''"/]*)') = a.username || '@' || a.server_host THEN 'one_to_one'
    END`;

function countFunction(name: string, filter: string, args: string): string[] {
  return [
    `CREATE OR REPLACE FUNCTION ${s}.${name}(${args})`,
    "  RETURNS TABLE (server_host text, class text, room text, messages bigint)",
    "  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$",
    `  SELECT a.server_host, c.class, CASE WHEN c.class = 'group' THEN a.username END, count(*)`,
    `  FROM public.archive a CROSS JOIN LATERAL (SELECT ${messageClass} AS class) c`,
    `  WHERE ${filter} AND c.class IS NOT NULL`,
    "  GROUP BY 1, 2, 3",
    "$$;",
  ];
}

/**
 * Members of active rooms: the distinct senders of a window's group messages, per room and (room null) across the
 * host's rooms. ejabberd's mod_mam stores a room message in the room's archive with `bare_peer` the sender's real
 * bare JID (src/mod_mam.erl store_muc passes the occupant's JID as peer; src/mod_mam_sql.erl store writes
 * jid:remove_resource of it), whatever the room's anonymity. Senders whose account no longer exists are left out, as
 * erasure leaves deleted accounts out of the active users; so are the room's own messages (its JID is no account).
 */
function membersFunction(): string[] {
  return [
    `CREATE OR REPLACE FUNCTION ${s}.room_members_by_time(from_us bigint, to_us bigint)`,
    "  RETURNS TABLE (server_host text, room text, members bigint)",
    "  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$",
    "  SELECT a.server_host, a.username, count(DISTINCT a.bare_peer)",
    "  FROM public.archive a",
    `  WHERE a.timestamp >= from_us AND a.timestamp < to_us AND ${roomArchive}`,
    "    AND EXISTS (SELECT 1 FROM public.users u WHERE u.username = split_part(a.bare_peer, '@', 1)",
    "      AND u.server_host = split_part(a.bare_peer, '@', 2))",
    "  GROUP BY GROUPING SETS ((a.server_host, a.username), (a.server_host))",
    "$$;",
  ];
}

/**
 * The analytics part of the setup script, run by the admin inside its transaction. Idempotent: a second run changes
 * nothing. `exporter` is the exporter's role, which also serves `warbler analytics`.
 */
export function analyticsSetupSql(exporter: string): string[] {
  return [
    "-- Analytics (charts/im/analytics/sql.ts, docs/analytics.md): counts, and recent per-account activity.",
    "-- The exporter reads new archive rows by id and a day's rows by timestamp; ejabberd's schema indexes neither",
    "-- alone (its archive indexes start with server_host and username).",
    "CREATE INDEX IF NOT EXISTS warbler_archive_id ON public.archive (id);",
    "CREATE INDEX IF NOT EXISTS warbler_archive_timestamp ON public.archive (timestamp);",
    "CREATE INDEX IF NOT EXISTS warbler_users_created_at ON public.users (created_at);",
    `CREATE SCHEMA IF NOT EXISTS ${s};`,
    `REVOKE ALL ON SCHEMA ${s} FROM PUBLIC;`,
    `GRANT USAGE ON SCHEMA ${s} TO ${exporter};`,
    `CREATE TABLE IF NOT EXISTS ${s}.warbler_daily_stats (`,
    "  day date NOT NULL,",
    "  server_host text NOT NULL,",
    "  active_users integer NOT NULL DEFAULT 0,",
    "  weekly_active_users integer NOT NULL DEFAULT 0,",
    "  monthly_active_users integer NOT NULL DEFAULT 0,",
    "  messages_one_to_one bigint NOT NULL DEFAULT 0,",
    "  messages_group bigint NOT NULL DEFAULT 0,",
    "  active_rooms integer NOT NULL DEFAULT 0,",
    "  peak_sessions integer NOT NULL DEFAULT 0,",
    "  new_accounts integer NOT NULL DEFAULT 0,",
    "  deleted_accounts integer NOT NULL DEFAULT 0,",
    "  updated_at timestamptz NOT NULL DEFAULT now(),",
    "  PRIMARY KEY (day, server_host)",
    ");",
    "-- Added after the table: a database set up before gets the column on the next run.",
    `ALTER TABLE ${s}.warbler_daily_stats ADD COLUMN IF NOT EXISTS active_room_members integer NOT NULL DEFAULT 0;`,
    `CREATE TABLE IF NOT EXISTS ${s}.warbler_user_activity (`,
    "  day date NOT NULL,",
    "  server_host text NOT NULL,",
    "  username text NOT NULL,",
    "  PRIMARY KEY (day, server_host, username)",
    ");",
    `CREATE INDEX IF NOT EXISTS warbler_user_activity_account ON ${s}.warbler_user_activity (server_host, username);`,
    `CREATE TABLE IF NOT EXISTS ${s}.warbler_account_deletions (`,
    "  day date NOT NULL,",
    "  server_host text NOT NULL,",
    "  deleted integer NOT NULL DEFAULT 0,",
    "  PRIMARY KEY (day, server_host)",
    ");",
    `GRANT SELECT, INSERT, UPDATE ON ${s}.warbler_daily_stats TO ${exporter};`,
    `GRANT SELECT, INSERT, DELETE ON ${s}.warbler_user_activity TO ${exporter};`,
    `GRANT SELECT ON ${s}.warbler_account_deletions TO ${exporter};`,
    "-- Account erasure: ejabberd deletes the users row; this forgets the account's activity in the same transaction",
    "-- and keeps only a count of deletions per day.",
    `CREATE OR REPLACE FUNCTION ${s}.forget_account() RETURNS trigger`,
    "  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$",
    "BEGIN",
    `  DELETE FROM ${s}.warbler_user_activity WHERE server_host = OLD.server_host AND username = OLD.username;`,
    `  INSERT INTO ${s}.warbler_account_deletions AS d (day, server_host, deleted)`,
    "    VALUES ((now() AT TIME ZONE 'UTC')::date, OLD.server_host, 1)",
    "    ON CONFLICT (day, server_host) DO UPDATE SET deleted = d.deleted + 1;",
    "  RETURN OLD;",
    "END $$;",
    `REVOKE ALL ON FUNCTION ${s}.forget_account() FROM PUBLIC;`,
    "CREATE OR REPLACE TRIGGER warbler_forget_account AFTER DELETE ON public.users",
    `  FOR EACH ROW EXECUTE FUNCTION ${s}.forget_account();`,
    ...countFunction("messages_by_id", "a.id > after_id AND a.id <= upto_id", "after_id bigint, upto_id bigint"),
    ...countFunction(
      "messages_by_time",
      "a.timestamp >= from_us AND a.timestamp < to_us",
      "from_us bigint, to_us bigint",
    ),
    `REVOKE ALL ON FUNCTION ${s}.messages_by_id(bigint, bigint), ${s}.messages_by_time(bigint, bigint) FROM PUBLIC;`,
    `GRANT EXECUTE ON FUNCTION ${s}.messages_by_id(bigint, bigint), ${s}.messages_by_time(bigint, bigint)`,
    `  TO ${exporter};`,
    ...membersFunction(),
    `REVOKE ALL ON FUNCTION ${s}.room_members_by_time(bigint, bigint) FROM PUBLIC;`,
    `GRANT EXECUTE ON FUNCTION ${s}.room_members_by_time(bigint, bigint) TO ${exporter};`,
  ];
}

/** Columns of ejabberd's `users` the exporter reads: who exists (erasure) and since when (new accounts). */
export const analyticsUserColumns = ["username", "server_host", "created_at"] as const;

/** Queries the exporter and the CLI run, with positional parameters. */
export const analyticsQueries = {
  /** $1 day, $2 JIDs (user@host): records activity for accounts that still exist. */
  recordActivity:
    `INSERT INTO ${s}.warbler_user_activity (day, server_host, username) ` +
    "SELECT $1::date, u.server_host, u.username FROM public.users u " +
    "JOIN unnest($2::text[]) AS j(jid) ON u.username = split_part(j.jid, '@', 1) " +
    "AND u.server_host = split_part(j.jid, '@', 2) ON CONFLICT DO NOTHING",
  /** $1 the oldest day kept. */
  expireActivity: `DELETE FROM ${s}.warbler_user_activity WHERE day < $1::date`,
  /** Highest archive id: the cursor of the message counter. */
  maxArchiveId: "SELECT coalesce(max(id), 0)::text AS id FROM public.archive",
  messagesById: `SELECT server_host, class, room, messages::text AS messages FROM ${s}.messages_by_id($1, $2)`,
  messagesByTime: `SELECT server_host, class, room, messages::text AS messages FROM ${s}.messages_by_time($1, $2)`,
  /** $1, $2 the window in microseconds: distinct senders per room, and per host with room null. */
  roomMembersByTime: `SELECT server_host, room, members::int AS members FROM ${s}.room_members_by_time($1, $2)`,
  /** $1 first day, $2 last day (inclusive): distinct active accounts per host. */
  activeUsers:
    `SELECT server_host, count(DISTINCT username)::int AS users FROM ${s}.warbler_user_activity ` +
    "WHERE day BETWEEN $1::date AND $2::date GROUP BY server_host",
  /** $1 day: accounts created that day, per host. */
  newAccounts:
    "SELECT server_host, count(*)::int AS accounts FROM public.users " +
    "WHERE created_at >= $1::date AND created_at < $1::date + 1 GROUP BY server_host",
  /** $1 day. */
  deletedAccounts: `SELECT server_host, deleted FROM ${s}.warbler_account_deletions WHERE day = $1::date`,
  /** $1 day, $2 host, $3 sessions: keeps the day's highest count of sessions. */
  recordPeak:
    `INSERT INTO ${s}.warbler_daily_stats AS d (day, server_host, peak_sessions) VALUES ($1::date, $2, $3) ` +
    "ON CONFLICT (day, server_host) DO UPDATE SET peak_sessions = greatest(d.peak_sessions, EXCLUDED.peak_sessions)",
  /** Writes one day's counts; the peak is kept (it is merged by recordPeak). */
  upsertDay:
    `INSERT INTO ${s}.warbler_daily_stats AS d (day, server_host, active_users, weekly_active_users, ` +
    "monthly_active_users, messages_one_to_one, messages_group, active_rooms, new_accounts, deleted_accounts, " +
    "active_room_members, updated_at) VALUES ($1::date, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now()) " +
    "ON CONFLICT (day, server_host) DO UPDATE SET active_users = $3, weekly_active_users = $4, " +
    "monthly_active_users = $5, messages_one_to_one = $6, messages_group = $7, active_rooms = $8, " +
    "new_accounts = $9, deleted_accounts = $10, active_room_members = $11, updated_at = now()",
  /** $1 first day, $2 last day. */
  days:
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, server_host, active_users, weekly_active_users, monthly_active_users, ` +
    "messages_one_to_one::text AS messages_one_to_one, messages_group::text AS messages_group, active_rooms, " +
    "active_room_members, peak_sessions, new_accounts, deleted_accounts " +
    `FROM ${s}.warbler_daily_stats ` +
    "WHERE day BETWEEN $1::date AND $2::date ORDER BY day, server_host",
} as const;
