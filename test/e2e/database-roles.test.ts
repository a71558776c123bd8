import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Client } from "pg";
import {
  databaseSetupSql,
  defaultImDatabaseRoles,
  scramVerifier,
  uploadSchema,
  verifierEnv,
} from "../../charts/im/database-roles";
import { startExporter } from "../../charts/im/exporter/exporter";
import { freePorts, run } from "../../lib/host";
import { ejabberdSchemaFile, LocalPostgres } from "../../lib/local-postgres";
import { createImDatabase, type LocalImDatabase, type RoleLogin, runDatabaseSetup } from "../../local/database";

/*
 * The setup script on a real PostgreSQL 15 with Debian's ejabberd 23.01 schema, run by psql as the cluster's Job
 * runs it. What it relies on, and where that is written:
 * - `\getenv` (psql 15+): the psql patch "add getenv command",
 *   https://postgresql.org/message-id/attachment/129130/v1-0001-add-getenv-command.patch
 * - A password already in SCRAM-SHA-256 form is stored as is: PostgreSQL docs, CREATE ROLE, "ENCRYPTED"
 *   (https://www.postgresql.org/docs/current/sql-createrole.html); the login tests below prove it here.
 * - The admin is not a superuser on the managed services, but may CREATE ROLE and GRANT:
 *   RDS: "CREATE ROLE postgres WITH LOGIN NOSUPERUSER INHERIT CREATEDB CREATEROLE ..." and rds_superuser may
 *   "Create roles for users and grant privileges to users",
 *   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.rds_superuser.html
 *   Azure Flexible Server: the admin has "LOGIN, NOSUPERUSER, INHERIT, CREATEDB, CREATEROLE, REPLICATION" and can
 *   "Create less privileged users and roles", https://learn.microsoft.com/en-us/training/modules/
 *   secure-azure-database-for-postgresql/3-describe-built-server-roles
 *   ApsaraDB RDS for PostgreSQL: a privileged account "can manage standard accounts and databases, grant table-level
 *   permissions to standard accounts"; standard accounts may be created "by using SQL statements",
 *   https://help.aliyun.com/en/rds/apsaradb-rds-for-postgresql/
 *   create-an-account-on-an-apsaradb-rds-for-postgresql-instance
 *   Giving a schema to another role needs membership there ("ERROR: must be member of role"),
 *   https://www.alibabacloud.com/help/doc-detail/26159.html: so the script keeps the upload schema admin-owned and
 *   grants USAGE, CREATE instead.
 * - The script never names SUPERUSER/REPLICATION/BYPASSRLS in ALTER ROLE: only a superuser may (PostgreSQL docs,
 *   ALTER ROLE), and none of the three clouds hands one out.
 */

const denied = /permission denied|must be owner/;

async function as<T>(login: RoleLogin, fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client(login);
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

const query = (login: RoleLogin, sql: string) => as(login, (db) => db.query(sql));

/** Every privilege in the database, to compare runs: roles, schema ACLs, table and column ACLs, default ACLs. */
async function privileges(admin: RoleLogin): Promise<unknown[]> {
  const { rows } = await query(
    admin,
    `SELECT 'role' AS k, rolname::text AS name, rolcanlogin::text AS acl FROM pg_roles WHERE rolname LIKE 'warbler_%'
     UNION ALL SELECT 'schema', nspname, coalesce(nspacl::text, '') FROM pg_namespace
     UNION ALL SELECT 'rel', relname, coalesce(relacl::text, '') FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname IN ('public', '${uploadSchema}')
     UNION ALL SELECT 'col', attrelid::regclass::text || '.' || attname, attacl::text FROM pg_attribute
       WHERE attacl IS NOT NULL
     UNION ALL SELECT 'default', defaclobjtype::text, defaclacl::text FROM pg_default_acl
     ORDER BY 1, 2, 3`,
  );
  return rows;
}

describe("IM database roles on PostgreSQL 15 with ejabberd's schema", { timeout: 60_000 }, () => {
  let postgres: LocalPostgres;
  let db: LocalImDatabase;
  let admin: RoleLogin;

  before(async () => {
    postgres = await LocalPostgres.create({ name: "roles" });
    await postgres.start();
    db = await createImDatabase(postgres);
    admin = { ...postgres.superuser, database: "ejabberd", url: "" };
  });

  after(async () => {
    await postgres?.destroy();
  });

  it("loads the schema once and a second run changes no privilege", async () => {
    const tables = (readFileSync(ejabberdSchemaFile, "utf8").match(/^CREATE TABLE /gm) ?? []).length;
    const count = async () =>
      Number((await query(admin, "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n);
    assert.equal(await count(), tables);
    await query(db.ejabberd, "INSERT INTO users (username, server_host, password) VALUES ('keep', 'h', 'x')");
    // A daily table from before its newest column: the rerun adds the column and keeps the row.
    const stats = "warbler_analytics.warbler_daily_stats";
    await query(admin, `ALTER TABLE ${stats} DROP COLUMN active_room_members`);
    await query(admin, `INSERT INTO ${stats} (day, server_host, active_rooms) VALUES ('2026-01-01', 'h', 2)`);
    const before = await privileges(admin);
    const roles = defaultImDatabaseRoles;
    const sql = databaseSetupSql({ schemaFile: ejabberdSchemaFile });
    await runDatabaseSetup(admin, sql, {
      ejabberd: scramVerifier(roles.ejabberd, db.ejabberd.password),
      exporter: scramVerifier(roles.exporter, db.exporter.password),
      upload: scramVerifier(roles.upload, db.upload.password),
    });
    assert.equal(await count(), tables, "the schema was not loaded twice");
    assert.deepEqual(await privileges(admin), before);
    const kept = await query(db.ejabberd, "SELECT username FROM users WHERE username = 'keep'");
    assert.equal(kept.rows.length, 1, "data survives a rerun");
    const day = await query(admin, `SELECT active_rooms, active_room_members FROM ${stats} WHERE server_host = 'h'`);
    assert.deepEqual(day.rows, [{ active_rooms: 2, active_room_members: 0 }]);
    await query(admin, `DELETE FROM ${stats} WHERE server_host = 'h'`);
  });

  it("computes the SCRAM verifier exactly as PostgreSQL does for the same password and salt", async () => {
    await query(admin, "CREATE ROLE verifier_probe PASSWORD 'pässword-42'");
    const { rows } = await query(admin, "SELECT rolpassword FROM pg_authid WHERE rolname = 'verifier_probe'");
    const stored: string = rows[0].rolpassword;
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored) ?? [];
    const ours = scramVerifier("verifier_probe", "pässword-42", Buffer.from(salt, "base64"), Number(iterations));
    assert.equal(ours, stored);
    await query(admin, "DROP ROLE verifier_probe");
  });

  it("logs each role in with the password whose SCRAM verifier the script set, and no other", async () => {
    for (const login of [db.ejabberd, db.exporter, db.upload]) await query(login, "SELECT 1");
    await assert.rejects(query({ ...db.exporter, password: db.ejabberd.password }, "SELECT 1"), /password/);
  });

  it("lets ejabberd read and write its tables and sequences", async () => {
    await as(db.ejabberd, async (c) => {
      await c.query("INSERT INTO users (username, server_host, password) VALUES ('alice', 'h', 'p')");
      await c.query("UPDATE users SET password = 'q' WHERE username = 'alice'");
      const { rows } = await c.query(
        `INSERT INTO archive (username, server_host, timestamp, peer, bare_peer, xml, txt, kind, nick)
         VALUES ('alice', 'h', 1, 'bob@h', 'bob@h', '<m/>', 'hi', 'chat', '') RETURNING id`,
      );
      assert.ok(Number(rows[0].id) > 0, "the archive's id sequence advanced");
      await c.query("DELETE FROM archive WHERE username = 'alice'");
      await c.query("DELETE FROM users WHERE username = 'alice'");
    });
  });

  it("refuses ejabberd CREATE, DROP, ALTER and TRUNCATE", async () => {
    for (const sql of [
      "CREATE TABLE public.extra (id int)",
      "CREATE SCHEMA extra",
      "DROP TABLE users",
      "ALTER TABLE users ADD COLUMN extra text",
      "TRUNCATE archive",
      "CREATE INDEX extra ON users (created_at)",
    ])
      await assert.rejects(query(db.ejabberd, sql), denied, sql);
  });

  it("serves the exporter's real database query and nothing more", async () => {
    // The exporter's own code path (charts/im/exporter/exporter.ts), with an API that is not there.
    const exporter = await startExporter({
      apiUrl: "http://127.0.0.1:9/api",
      user: "nobody@h",
      password: "x",
      database: { connectionString: db.exporter.url },
      port: 0,
      timeoutMs: 2000,
    });
    try {
      const text = await (await fetch(exporter.url)).text();
      assert.match(text, /^ejabberd_database_up 1$/m);
      assert.match(text, /^ejabberd_archived_messages_total \d+$/m);
    } finally {
      await exporter.close();
    }
    // Analytics (charts/im/analytics/sql.ts): who exists and since when, and message counts through the counting
    // functions, never a stanza, a password or a write to ejabberd's tables.
    await query(db.exporter, "SELECT username, server_host, created_at FROM users");
    await query(db.exporter, "SELECT * FROM warbler_analytics.messages_by_time(0, 1)");
    await query(db.exporter, "SELECT * FROM warbler_analytics.room_members_by_time(0, 1)");
    await query(db.exporter, "SELECT active_room_members FROM warbler_analytics.warbler_daily_stats");
    for (const sql of [
      "SELECT txt FROM archive",
      "SELECT xml FROM archive",
      "SELECT password FROM users",
      "INSERT INTO archive (id) VALUES (1)",
      "DELETE FROM users",
      "DELETE FROM warbler_analytics.warbler_account_deletions",
    ])
      await assert.rejects(query(db.exporter, sql), denied, sql);
    for (const login of [db.ejabberd, db.upload]) {
      await assert.rejects(query(login, "SELECT * FROM warbler_analytics.warbler_user_activity"), denied, login.user);
      await assert.rejects(
        query(login, "SELECT * FROM warbler_analytics.room_members_by_time(0, 1)"),
        denied,
        `${login.user} counts room members`,
      );
    }
  });

  it("lets the upload service read who exists and since when, never a password, and keep its own tables", async () => {
    await query(db.ejabberd, "INSERT INTO users (username, server_host, password) VALUES ('carol', 'h', 'secret')");
    const { rows } = await query(
      db.upload,
      "SELECT username, server_host, created_at IS NOT NULL AS dated FROM users WHERE username = 'carol'",
    );
    assert.deepEqual(rows, [{ username: "carol", server_host: "h", dated: true }]);
    for (const sql of [
      "SELECT password FROM users",
      "SELECT serverkey, salt FROM users",
      "SELECT * FROM users",
      "SELECT id FROM archive",
      "SELECT 1 FROM spool",
      "DELETE FROM users",
      "CREATE TABLE public.files (id int)",
    ])
      await assert.rejects(query(db.upload, sql), denied, sql);
    await as(db.upload, async (c) => {
      await c.query("CREATE TABLE files (owner text, bytes bigint)");
      await c.query("INSERT INTO files VALUES ('carol', 3)");
      const own = await c.query(`SELECT owner FROM ${uploadSchema}.files`);
      assert.deepEqual(own.rows, [{ owner: "carol" }], "unqualified names land in the upload schema");
    });
  });

  it("keeps each role out of the others' data", async () => {
    for (const login of [db.ejabberd, db.exporter])
      await assert.rejects(query(login, `SELECT * FROM ${uploadSchema}.files`), denied, login.user);
    await assert.rejects(query(db.upload, `DROP SCHEMA ${uploadSchema}`), denied);
  });

  it("stops with the variable's name when a verifier is missing or is a password", async () => {
    const sql = databaseSetupSql({ schemaFile: ejabberdSchemaFile });
    const verifiers = { ejabberd: "", exporter: "", upload: "" };
    await assert.rejects(runDatabaseSetup(admin, sql, verifiers), new RegExp(verifierEnv.ejabberd));
    const plain = { ...verifiers, ejabberd: "plain-password", exporter: "x", upload: "y" };
    await assert.rejects(runDatabaseSetup(admin, sql, plain), /must hold a SCRAM-SHA-256 verifier/);
    await query(db.ejabberd, "SELECT 1");
  });
});

/*
 * Why the cluster's ejabberd cannot verify the database's host name (docs/im.md, "Database roles and schema"):
 * p1_pgsql upgrades its TCP socket with `ssl:connect(Sock, Opts, 5000)` (processone/p1_pgsql src/pgsql_util.erl,
 * `starttls/2`) and ejabberd passes only `[{verify, verify_peer}, {cacertfile, CAFile}]` (ejabberd_sql.erl
 * `get_ssl_opts/2`), no server_name_indication. Erlang's ssl then checks the certificate against the peer's IP
 * address. Managed PostgreSQL certificates name DNS hosts, so `sql_ssl_verify: true` fails with
 * hostname_check_failed: processone/ejabberd#4180 (open). This runs ejabberd's exact call on this machine's OTP.
 */
describe("ejabberd's TLS upgrade to PostgreSQL (p1_pgsql's ssl:connect on a socket)", { timeout: 30_000 }, () => {
  it("checks the certificate against the peer address, not the configured host name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "warbler-pgtls-"));
    const servers: number[] = [];
    try {
      const ossl = (args: string[]) => run("openssl", args, { cwd: dir });
      const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
      await ossl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=ca"]);
      await ossl(["req", ...ec, "-keyout", "db.key", "-out", "db.csr", "-subj", "/CN=db.example"]);
      const sign = async (name: string, san: string) => {
        writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
        const ca = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1"];
        await ossl(["x509", "-req", "-in", "db.csr", ...ca, "-out", `${name}.pem`, "-extfile", `${name}.ext`]);
      };
      await sign("dns", "DNS:db.example");
      await sign("ip", "DNS:db.example,IP:127.0.0.1");
      const ports = await freePorts(2);
      for (const [cert, port] of [
        ["dns.pem", ports[0]],
        ["ip.pem", ports[1]],
      ] as const) {
        const args = ["s_server", "-quiet", "-accept", `127.0.0.1:${port}`, "-cert", cert, "-key", "db.key"];
        const server = spawn("openssl", args, { cwd: dir, stdio: "ignore" });
        if (server.pid) servers.push(server.pid);
      }
      await new Promise((r) => setTimeout(r, 500));
      const upgrade = (port: number) =>
        run(
          "erl",
          [
            "-noshell",
            "-eval",
            `ssl:start(), {ok, S} = gen_tcp:connect("127.0.0.1", ${port}, [binary, {active, false}]), ` +
              `R = ssl:connect(S, [{verify, verify_peer}, {cacertfile, "ca.pem"}], 5000), ` +
              `io:format("~p~n", [case R of {ok, _} -> ok; {error, E} -> E end]), halt().`,
          ],
          { cwd: dir },
        );
      // The database's certificate names its DNS host only, as the managed services' do: refused.
      assert.match(await upgrade(ports[0]), /hostname_check_failed/);
      // Only a certificate that names the peer's IP address passes: the check is on the address.
      assert.match(await upgrade(ports[1]), /^ok$/m);
    } finally {
      for (const pid of servers) process.kill(pid);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
