import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { FailedError } from "./errors";
import { asUser, freePorts, lookupUser, pgBin, run, stopGroup } from "./host";
import { waitUntil } from "./wait";
import type { Watchdog } from "./watchdog";

/** The ejabberd schema shipped with the package, for `new_sql_schema: true`. */
export const ejabberdSchemaFile = "/usr/share/ejabberd/sql/pg.new.sql";

/** A password (SCRAM) login over TCP to one database of a local server. */
export interface PostgresLogin {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/** The ejabberd database, as its owner logs in. */
export interface EjabberdDatabase extends PostgresLogin {
  /** The same login as a postgres:// URL. */
  url: string;
}

export interface LocalPostgresOptions {
  /** Names the server in messages and in its default directory. @default "postgres" */
  name?: string;
  /**
   * Directory for data, socket and log, removed by destroy(); the postgres user must be able to reach it.
   * @default - a new directory warbler-<name>-XXXXXX in the system's temporary directory
   */
  dir?: string;
  /** Port on 127.0.0.1. @default - a free port */
  port?: number;
  /** Logical decoding (wal_level=logical, WAL senders, slots), as a publisher or subscriber needs. @default false */
  logical?: boolean;
  /** Stops the server if this process dies without stopping it. @default - none */
  watchdog?: Watchdog;
  /**
   * Serve TLS (`ssl=on`) with this certificate chain and key, as managed servers do; plain TCP is still accepted.
   * @default - no TLS
   */
  tls?: { certPem: string; keyPem: string };
}

/**
 * A private PostgreSQL 15 on 127.0.0.1, for `warbler im local`, the failover drill and the tests. Its data,
 * socket and log live in one directory; as root it runs as the postgres user (initdb refuses root). Logins
 * are by password (SCRAM) over TCP, as on the managed services. The server runs in a process group of its
 * own, led by the postmaster: `kill()` takes every backend down at once, like a lost machine, and the
 * watchdog stops the whole group if this process dies.
 */
export class LocalPostgres {
  /** Password of the `postgres` superuser. */
  private readonly password = randomBytes(18).toString("base64url");
  private process?: ChildProcess;

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly port: number,
    private readonly logical: boolean,
    private readonly watchdog?: Watchdog,
    private readonly tls = false,
  ) {}

  /** Creates the cluster with initdb; start() runs it. */
  static async create(options: LocalPostgresOptions = {}): Promise<LocalPostgres> {
    const name = options.name ?? "postgres";
    const port = options.port ?? (await freePorts(1))[0];
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), `warbler-${name}-`));
    const server = new LocalPostgres(name, dir, port, options.logical ?? false, options.watchdog, !!options.tls);
    try {
      mkdirSync(join(dir, "socket"), { recursive: true, mode: 0o700 });
      const pwFile = join(dir, "initdb.pw");
      writeFileSync(pwFile, `${server.password}\n`, { mode: 0o600 });
      // The server refuses a key file that others can read.
      const tlsFiles = options.tls ? [server.tlsFile("crt"), server.tlsFile("key")] : [];
      if (options.tls) {
        writeFileSync(tlsFiles[0], options.tls.certPem, { mode: 0o644 });
        writeFileSync(tlsFiles[1], options.tls.keyPem, { mode: 0o600 });
      }
      if (process.getuid?.() === 0) {
        const owner = lookupUser("postgres");
        for (const path of [dir, join(dir, "socket"), pwFile, ...tlsFiles]) chownSync(path, owner.uid, owner.gid);
      }
      const auth = ["-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwFile}`];
      const cluster = ["-D", join(dir, "data"), "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"];
      const [command, args] = asServerUser("initdb", [...cluster, ...auth]);
      await run(command, args);
      rmSync(pwFile);
      return server;
    } catch (err) {
      // No caller holds the server yet, so nobody else would remove its directory.
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The server's log, kept in its directory for as long as the server exists. */
  get logPath(): string {
    return join(this.dir, "server.log");
  }

  private tlsFile(kind: "crt" | "key"): string {
    return join(this.dir, `server.${kind}`);
  }

  /** The `postgres` superuser on the `postgres` database. */
  get superuser(): PostgresLogin {
    return { host: "127.0.0.1", port: this.port, database: "postgres", user: "postgres", password: this.password };
  }

  /** Starts (or restarts, after `kill`) the server and waits until it accepts logins. */
  async start(): Promise<void> {
    const settings = [
      "listen_addresses=127.0.0.1",
      // Data that is thrown away, or lost only with the machine, needs no flush to disk.
      "fsync=off",
      "max_connections=200",
      ...(this.tls ? ["ssl=on", `ssl_cert_file=${this.tlsFile("crt")}`, `ssl_key_file=${this.tlsFile("key")}`] : []),
      ...(this.logical
        ? [
            "wal_level=logical",
            "max_wal_senders=10",
            "max_replication_slots=10",
            // Managed servers keep the 5 s default: a new subscription may wait that long for its worker.
            "wal_retrieve_retry_interval=250ms",
          ]
        : []),
    ];
    const postgres = ["-D", join(this.dir, "data"), "-p", String(this.port), "-k", join(this.dir, "socket")];
    const [command, args] = asServerUser("postgres", [...postgres, ...settings.flatMap((s) => ["-c", s])]);
    const log = openSync(this.logPath, "a");
    const child = spawn(command, args, { detached: true, stdio: ["ignore", log, log] });
    closeSync(log);
    this.process = child;
    if (child.pid !== undefined) this.watchdog?.guardGroup(child.pid, "QUIT");
    // A server that exited will never accept a login: the wait below ends at once.
    const exited = new AbortController();
    child.once("error", (err) => exited.abort(err));
    child.once("exit", (code, signal) => exited.abort(new Error(`it exited (${code ?? signal}); see ${this.logPath}`)));
    try {
      await waitUntil(() => acceptsLogin(this.superuser), {
        what: `logins on port ${this.port}`,
        timeoutMs: 30_000,
        signal: exited.signal,
      });
    } catch (err) {
      await this.stop();
      throw new FailedError(`PostgreSQL '${this.name}' did not start: ${(err as Error).message}`);
    }
  }

  /** Creates the ejabberd role and its database, with the schema loaded by that role as ejabberd would. */
  async createEjabberdDatabase(): Promise<EjabberdDatabase> {
    const password = randomBytes(18).toString("base64url");
    const owner = { ...this.superuser, database: "ejabberd", user: "ejabberd", password };
    try {
      const role = `CREATE ROLE ejabberd LOGIN PASSWORD '${password}'`;
      await execute(this.superuser, [role, "CREATE DATABASE ejabberd OWNER ejabberd"]);
      await execute(owner, [readFileSync(ejabberdSchemaFile, "utf8")]);
    } catch (err) {
      throw new FailedError(`PostgreSQL '${this.name}': creating the ejabberd database: ${(err as Error).message}`);
    }
    return { ...owner, url: `postgresql://ejabberd:${password}@${owner.host}:${owner.port}/ejabberd` };
  }

  /** SIGKILL to the whole process group: the postmaster and every backend die at once, mid-write. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** Fast shutdown: sessions end, the server exits cleanly. */
  async stop(): Promise<void> {
    await this.signal("SIGINT");
  }

  /** Stops the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    const running = () => child?.exitCode === null && child.signalCode === null;
    if (!child?.pid || !running()) return;
    // The postmaster is this process's child, so its exit is seen; backends a SIGKILL orphaned need not be reaped.
    await stopGroup(child.pid, signal, 15_000, running);
    this.process = undefined;
  }
}

/** initdb and postgres refuse to run as root: as root, they run as the postgres user. */
function asServerUser(program: string, args: string[]): [string, string[]] {
  const path = join(pgBin, program);
  if (process.getuid?.() !== 0) return [path, args];
  const [setpriv, ...flags] = asUser("postgres");
  return [setpriv, [...flags, path, ...args]];
}

async function acceptsLogin(login: PostgresLogin): Promise<true> {
  const client = new Client({ ...login, connectionTimeoutMillis: 1000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function execute(login: PostgresLogin, statements: string[]): Promise<void> {
  const client = new Client(login);
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}
