import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, closeSync, existsSync, openSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { freePorts, lookupUser, pgBin } from "../../lib/host";
import type { DbEndpoint } from "../db";

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` user. */
function asServerUser(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? lookupUser("postgres") : undefined;
}

/**
 * A throwaway PostgreSQL 15 server on 127.0.0.1 in its own temporary
 * directory, with logical decoding on and password (SCRAM) logins over TCP,
 * as on the managed services. Started in its own process group, so that
 * `kill()` takes every backend down at once, like a lost machine.
 */
export class LocalPostgres {
  readonly password = randomBytes(12).toString("hex");
  private process?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(name: string): Promise<LocalPostgres> {
    const dir = mkdtempSync(join(tmpdir(), `warbler-drill-${name}-`));
    try {
      const [port] = await freePorts(1);
      const server = new LocalPostgres(name, dir, port);
      const owner = asServerUser();
      mkdirSync(join(dir, "socket"));
      writeFileSync(join(dir, "pwfile"), `${server.password}\n`, { mode: 0o600 });
      if (owner) for (const path of [dir, join(dir, "socket"), join(dir, "pwfile")]) chownSync(path, owner.uid, owner.gid);
      execFileSync(
        join(pgBin, "initdb"),
        ["-D", join(dir, "data"), "-U", "postgres", `--pwfile=${join(dir, "pwfile")}`, "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C"],
        { stdio: ["ignore", "ignore", "pipe"], ...owner },
      );
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

  get endpoint(): DbEndpoint {
    return { host: "127.0.0.1", port: this.port, database: "postgres", user: "postgres", password: this.password };
  }

  /** Starts (or restarts, after `kill`) the server and waits until it accepts logins. */
  async start(): Promise<void> {
    const args = [
      "-D", join(this.dir, "data"),
      "-p", String(this.port),
      "-k", join(this.dir, "socket"),
      "-c", "listen_addresses=127.0.0.1",
      "-c", "wal_level=logical",
      "-c", "max_wal_senders=10",
      "-c", "max_replication_slots=10",
      "-c", "max_connections=50",
      // Managed servers keep the 5 s default: a new subscription may wait that long for its worker (off the RTO path).
      "-c", "wal_retrieve_retry_interval=250ms",
      "-c", "shared_buffers=32MB",
      "-c", "logging_collector=off",
    ];
    const log = openSync(this.logPath, "a");
    const child = spawn(join(pgBin, "postgres"), args, { detached: true, stdio: ["ignore", log, log], ...asServerUser() });
    closeSync(log);
    this.process = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new Client({ ...this.endpoint, connectionTimeoutMillis: 1000 });
      client.on("error", () => undefined);
      try {
        await client.connect();
        await client.end();
        return;
      } catch (err) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`PostgreSQL '${this.name}' did not accept logins within 30 s: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** SIGKILL to the whole process group: the postmaster and every backend die at once, mid-write. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** Fast shutdown: sessions end, the server exits cleanly. */
  async stop(): Promise<void> {
    await this.signal("SIGINT");
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 15_000).unref());
    if ((await Promise.race([this.exited, timeout])) === "timeout") {
      process.kill(-child.pid, "SIGKILL");
      await this.exited;
    }
    this.process = undefined;
  }

  /** Stops the server and deletes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
