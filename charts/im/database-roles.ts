import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { ArgumentChecks } from "../../lib/check";
import { analyticsSetupSql, analyticsUserColumns } from "./analytics/sql";

/**
 * Least privilege on the IM database. The admin (master) login runs `databaseSetupSql` with psql: it creates one
 * LOGIN role per workload, loads ejabberd's schema when it is missing, and grants each role only what it uses.
 * The SQL text holds no secret: the roles' password verifiers reach psql as environment variables (`\getenv`),
 * so the script may sit in a ConfigMap and in logs. Nothing here needs SUPERUSER: CREATE ROLE needs CREATEROLE,
 * which the master user has on RDS (rds_superuser), Azure Flexible Server (azure_pg_admin) and ApsaraDB RDS
 * (privileged account); the grants need ownership of the tables, which the admin has because it loads them.
 */

/** The three IM logins. */
export interface ImDatabaseRoles {
  /** ejabberd: DML on its own tables, nothing else. */
  readonly ejabberd: string;
  /**
   * The metrics exporter (and `warbler analytics`): reads the archive's id column and who exists, counts messages
   * through the analytics functions, and writes the analytics tables (charts/im/analytics/sql.ts).
   */
  readonly exporter: string;
  /** The upload service: reads user names (erasure, quotas) and keeps its own tables in `uploadSchema`. */
  readonly upload: string;
}

export const defaultImDatabaseRoles: ImDatabaseRoles = {
  ejabberd: "warbler_ejabberd",
  exporter: "warbler_exporter",
  upload: "warbler_upload",
};

/** The upload service's schema, named as its role: the role's default search_path (`"$user", public`) finds it. */
export const uploadSchema = "warbler_upload";

/** Environment variables psql reads each role's SCRAM verifier from (never the password itself). */
export const verifierEnv: Record<keyof ImDatabaseRoles, string> = {
  ejabberd: "WARBLER_EJABBERD_VERIFIER",
  exporter: "WARBLER_EXPORTER_VERIFIER",
  upload: "WARBLER_UPLOAD_VERIFIER",
};

/** What the exporter queries (charts/im/exporter/exporter.ts): `max(id)` of the MAM archive, nothing else. */
export const exporterColumns = { table: "archive", columns: ["id"] } as const;

/**
 * What the upload service may read of ejabberd's accounts (charts/im/upload/ledger.ts): who exists, and since when, so
 * a deleted and re-registered account does not inherit the earlier one's files; never a password column.
 */
export const uploadColumns = { table: "users", columns: ["username", "server_host", "created_at"] } as const;

export interface DatabaseSetupOptions {
  /** Role names. @default defaultImDatabaseRoles */
  readonly roles?: ImDatabaseRoles;
  /** ejabberd's `pg.new.sql` as psql sees it (Debian's locally, the pinned image's copy in the Job). */
  readonly schemaFile: string;
}

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks the options once, naming every bad key. */
function checkOptions(options: DatabaseSetupOptions): ImDatabaseRoles {
  const check = new ArgumentChecks("invalid database setup options");
  const roles = options.roles ?? defaultImDatabaseRoles;
  const plain = "must be a lower-case SQL identifier (letters, digits, _; at most 63)";
  for (const [key, role] of Object.entries(roles)) check.require(identifier.test(role), `roles.${key}`, role, plain);
  const names = Object.values(roles);
  check.require(new Set(names).size === names.length, "roles", roles, "must be three different roles");
  const pathOk = options.schemaFile.startsWith("/") && !/['\n\\]/.test(options.schemaFile);
  check.require(pathOk, "schemaFile", options.schemaFile, "must be an absolute path without quotes or backslashes");
  check.throwIfAny(Error);
  return roles;
}

/** Creates a role if missing and sets its verifier, which is checked to be SCRAM so no password travels in clear. */
function roleSql(role: string, variable: string, env: string): string[] {
  return [
    `\\getenv ${variable} ${env}`,
    `\\if :{?${variable}}`,
    "\\else",
    `DO $$ BEGIN RAISE EXCEPTION 'environment variable ${env} (the SCRAM verifier of ${role}) is not set'; END $$;`,
    "\\endif",
    `SELECT left(:'${variable}', 14) = 'SCRAM-SHA-256$' AS ${variable}_is_scram \\gset`,
    `\\if :${variable}_is_scram`,
    "\\else",
    `DO $$ BEGIN RAISE EXCEPTION '${env} must hold a SCRAM-SHA-256 verifier, not a password'; END $$;`,
    "\\endif",
    `SELECT 'CREATE ROLE ${role} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') \\gexec`,
    // Only LOGIN and the verifier: naming SUPERUSER, REPLICATION or BYPASSRLS (even as NO...) needs a superuser.
    `ALTER ROLE ${role} WITH LOGIN PASSWORD :'${variable}';`,
  ];
}

/**
 * The idempotent setup script, for `psql -X -v ON_ERROR_STOP=1 -f <file>` connected to the IM database as the admin.
 * It runs in one transaction: a failure leaves roles, grants and schema as they were.
 */
export function databaseSetupSql(options: DatabaseSetupOptions): string {
  const roles = checkOptions(options);
  const { ejabberd, exporter, upload } = roles;
  const all = `${ejabberd}, ${exporter}, ${upload}`;
  const dml = "SELECT, INSERT, UPDATE, DELETE";
  const sequences = "USAGE, SELECT, UPDATE";
  return [
    "-- Warbler: IM database roles and ejabberd schema. Generated by charts/im/database-roles.ts; holds no secret.",
    "\\set ON_ERROR_STOP on",
    "BEGIN;",
    ...roleSql(ejabberd, "warbler_ejabberd_verifier", verifierEnv.ejabberd),
    ...roleSql(exporter, "warbler_exporter_verifier", verifierEnv.exporter),
    ...roleSql(upload, "warbler_upload_verifier", verifierEnv.upload),
    "",
    "-- PostgreSQL 15 already revokes this; older databases and restored dumps may not. No IM role creates objects.",
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
    "",
    "-- ejabberd 23.01 cannot create its schema; newer releases must not (update_sql_schema: false, DML only).",
    "SET LOCAL search_path = public;",
    "SELECT to_regclass('public.users') IS NULL AS warbler_load_schema \\gset",
    "\\if :warbler_load_schema",
    `\\i '${options.schemaFile}'`,
    "\\endif",
    "",
    `GRANT USAGE ON SCHEMA public TO ${all};`,
    `GRANT ${dml} ON ALL TABLES IN SCHEMA public TO ${ejabberd};`,
    `GRANT ${sequences} ON ALL SEQUENCES IN SCHEMA public TO ${ejabberd};`,
    "-- Tables and sequences the admin adds later (a newer schema) get the same, and nothing more.",
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${dml} ON TABLES TO ${ejabberd};`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${sequences} ON SEQUENCES TO ${ejabberd};`,
    `GRANT SELECT (${exporterColumns.columns.join(", ")}) ON public.${exporterColumns.table} TO ${exporter};`,
    `GRANT SELECT (${uploadColumns.columns.join(", ")}) ON public.${uploadColumns.table} TO ${upload};`,
    `GRANT SELECT (${analyticsUserColumns.join(", ")}) ON public.users TO ${exporter};`,
    "",
    ...analyticsSetupSql(exporter),
    "",
    "-- The upload service's tables. The admin owns the schema (no role membership games, which differ between",
    "-- PostgreSQL 15 and 16+ for a CREATEROLE admin); the upload role may create and use tables in it, nobody else.",
    `CREATE SCHEMA IF NOT EXISTS ${uploadSchema};`,
    `REVOKE ALL ON SCHEMA ${uploadSchema} FROM PUBLIC;`,
    `GRANT USAGE, CREATE ON SCHEMA ${uploadSchema} TO ${upload};`,
    "COMMIT;",
    "",
  ].join("\n");
}

/**
 * A SCRAM-SHA-256 verifier (RFC 5802/7677, PostgreSQL's stored format) for `password`. PostgreSQL stores a
 * password string already in this format as is (CREATE ROLE docs, "ENCRYPTED"), so the setup never sees the
 * password. The salt is derived from the role and password unless given, so the verifier only changes with them.
 */
export function scramVerifier(role: string, password: string, salt?: Buffer, iterations = 4096): string {
  const derived = () => createHmac("sha256", password).update(`warbler-scram-salt:${role}`).digest().subarray(0, 16);
  const saltBytes = salt ?? derived();
  const salted = pbkdf2Sync(password.normalize("NFKC"), saltBytes, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  const b64 = (b: Buffer) => b.toString("base64");
  return `SCRAM-SHA-256$${iterations}:${b64(saltBytes)}$${b64(storedKey)}:${b64(serverKey)}`;
}
