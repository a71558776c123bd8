import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import {
  databaseSetupSql,
  defaultImDatabaseRoles,
  type ImDatabaseRoles,
  scramVerifier,
  verifierEnv,
} from "../charts/im/database-roles";
import { FailedError } from "../lib/errors";
import { pgBin, run } from "../lib/host";
import { ejabberdSchemaFile, type LocalPostgres, type PostgresLogin } from "../lib/local-postgres";

/** A role's login and the same as a postgres:// URL. */
export interface RoleLogin extends PostgresLogin {
  url: string;
}

/** The IM database as each workload logs in to it, as in the cluster: its own role, never the admin. */
export interface LocalImDatabase {
  ejabberd: RoleLogin;
  exporter: RoleLogin;
  upload: RoleLogin;
}

export interface ImDatabaseOptions {
  /** Database to create (a plain lower-case name). @default "ejabberd" */
  database?: string;
  /** ejabberd's schema. @default - Debian's pg.new.sql */
  schemaFile?: string;
  /** Role names. @default defaultImDatabaseRoles */
  roles?: ImDatabaseRoles;
}

/**
 * Creates the IM database on a local server and sets it up with the cluster's own script (`databaseSetupSql`), run
 * by psql as the local superuser in the admin's place. Returns one login per role, each with a fresh password.
 */
export async function createImDatabase(
  postgres: LocalPostgres,
  options: ImDatabaseOptions = {},
): Promise<LocalImDatabase> {
  const database = options.database ?? "ejabberd";
  const roles = options.roles ?? defaultImDatabaseRoles;
  const admin = postgres.superuser;
  // Interpolated into CREATE DATABASE below: a plain identifier only.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database))
    throw new FailedError(`'database' (${JSON.stringify(database)}) must be a lower-case SQL identifier`);
  const client = new Client({ ...admin, database: "postgres" });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
  } catch (err) {
    throw new FailedError(`PostgreSQL '${postgres.name}': creating database ${database}: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const passwords = {
    ejabberd: randomBytes(18).toString("base64url"),
    exporter: randomBytes(18).toString("base64url"),
    upload: randomBytes(18).toString("base64url"),
  };
  const sql = databaseSetupSql({ roles, schemaFile: options.schemaFile ?? ejabberdSchemaFile });
  await runDatabaseSetup({ ...admin, database }, sql, {
    ejabberd: scramVerifier(roles.ejabberd, passwords.ejabberd),
    exporter: scramVerifier(roles.exporter, passwords.exporter),
    upload: scramVerifier(roles.upload, passwords.upload),
  });
  const login = (key: keyof ImDatabaseRoles): RoleLogin => {
    const l = { host: admin.host, port: admin.port, database, user: roles[key], password: passwords[key] };
    return { ...l, url: `postgresql://${l.user}:${l.password}@${l.host}:${l.port}/${database}` };
  };
  return { ejabberd: login("ejabberd"), exporter: login("exporter"), upload: login("upload") };
}

/**
 * Runs the setup script with psql as the cluster's Job does: the script from a file, the verifiers from the
 * environment. Returns psql's output; throws FailedError naming psql's error, with no secret in it.
 */
export async function runDatabaseSetup(
  admin: PostgresLogin,
  sql: string,
  verifiers: Record<keyof ImDatabaseRoles, string>,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "warbler-db-setup-"));
  try {
    const file = join(dir, "setup.sql");
    writeFileSync(file, sql, { mode: 0o600 });
    const env = Object.fromEntries(Object.entries(verifierEnv).map(([k, name]) => [name, verifiers[k as "upload"]]));
    return await psql(admin, ["-f", file], env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** psql as `login`, password from the environment, no ~/.psqlrc, stopping at the first error. */
function psql(login: PostgresLogin, args: string[], env: Record<string, string> = {}): Promise<string> {
  return run(join(pgBin, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", ...args], {
    env: {
      PATH: process.env.PATH,
      PGHOST: login.host,
      PGPORT: String(login.port),
      PGUSER: login.user,
      PGDATABASE: login.database,
      PGPASSWORD: login.password,
      PGCONNECT_TIMEOUT: "10",
      ...env,
    },
    secrets: [login.password, ...Object.values(env)],
  });
}
