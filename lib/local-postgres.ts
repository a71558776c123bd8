import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "pg";
import { FailedError } from "./errors";
import { asUser, lookupUser, pgBin, run, waitFor } from "./host";
import type { Watchdog } from "./watchdog";

/** The ejabberd schema shipped with the package, for `new_sql_schema: true`. */
export const ejabberdSchemaFile = "/usr/share/ejabberd/sql/pg.new.sql";

export interface LocalPostgres {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** postgres:// URL of the ejabberd database. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A private PostgreSQL 15 on loopback in `dir`, run as the postgres user
 * (initdb refuses root), with a database and role for ejabberd and the
 * schema loaded.
 */
export async function startPostgres(dir: string, port: number, watchdog?: Watchdog): Promise<LocalPostgres> {
  const postgres = lookupUser("postgres");
  const dataDir = join(dir, "data");
  const socketDir = join(dir, "socket");
  for (const d of [dir, dataDir, socketDir]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
    chownSync(d, postgres.uid, postgres.gid);
  }
  const superPassword = randomBytes(18).toString("base64url");
  const pwFile = join(dir, "initdb.pw");
  writeFileSync(pwFile, `${superPassword}\n`, { mode: 0o600 });
  chownSync(pwFile, postgres.uid, postgres.gid);
  const [setpriv, ...asPostgres] = asUser("postgres");
  const cmd = (bin: string, args: string[]) => run(setpriv, [...asPostgres, join(pgBin, bin), ...args]);
  await cmd("initdb", ["-D", dataDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwFile}`, "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const postmasterPid = () => {
    const pidFile = join(dataDir, "postmaster.pid");
    // No pid file: the server never started, or has already gone.
    if (!existsSync(pidFile)) return undefined;
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    return pid > 0 ? pid : undefined;
  };
  const stop = async () => {
    const pid = postmasterPid();
    // SIGQUIT is PostgreSQL's "immediate" shutdown: no checkpoint, which the data thrown away next does not need.
    if (pid) await stopPid(pid);
  };
  // Registered before the start, as pg_ctl may wait up to 30 s and the runner may die meanwhile. pg_ctl starts
  // the server in a session of its own, so the postmaster's PID leads the group of all its processes.
  watchdog?.guardPidFile(join(dataDir, "postmaster.pid"), "QUIT");
  try {
    await cmd("pg_ctl", [
      "-D", dataDir,
      "-l", join(dir, "postgres.log"),
      "-o", `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "-w", "-t", "30", "start",
    ]);
  } catch (err) {
    // pg_ctl can give up waiting on a server that did start: stop it rather than leave it running.
    await stop();
    throw err;
  }
  try {
    const password = randomBytes(18).toString("base64url");
    const admin = new Client({ host: "127.0.0.1", port, user: "postgres", password: superPassword, database: "postgres" });
    await admin.connect();
    await admin.query(`CREATE ROLE ejabberd LOGIN PASSWORD '${password}'`);
    await admin.query("CREATE DATABASE ejabberd OWNER ejabberd");
    await admin.end();
    const owner = new Client({ host: "127.0.0.1", port, user: "ejabberd", password, database: "ejabberd" });
    await owner.connect();
    await owner.query(readFileSync(ejabberdSchemaFile, "utf8"));
    await owner.end();
    return {
      host: "127.0.0.1",
      port,
      database: "ejabberd",
      user: "ejabberd",
      password,
      url: `postgresql://ejabberd:${password}@127.0.0.1:${port}/ejabberd`,
      stop,
    };
  } catch (err) {
    await stop();
    throw new FailedError(`PostgreSQL on port ${port}: ${(err as Error).message}`);
  }
}

async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGQUIT");
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (await waitFor(() => !alive(), 10_000, 50)) return;
  process.kill(pid, "SIGKILL");
  await waitFor(() => !alive(), 5000, 50);
}
