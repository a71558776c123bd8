import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { resolve } from "node:path";
import { FailedError, InputError } from "./errors";
import { waitUntil } from "./wait";

/** What the local runner needs from this machine: Debian packages, users, free ports and child processes. */

/** Debian packages the runner uses, each with a file that proves it is installed. */
export const localPackages: { name: string; installed: () => boolean }[] = [
  { name: "ejabberd", installed: () => existsSync("/usr/sbin/ejabberdctl") },
  { name: "erlang-p1-pgsql", installed: () => dirHas("/usr/lib/erlang/lib", "p1_pgsql-") },
  { name: "postgresql-15", installed: () => existsSync("/usr/lib/postgresql/15/bin/initdb") },
  { name: "openssl", installed: () => existsSync("/usr/bin/openssl") },
];

export const pgBin = "/usr/lib/postgresql/15/bin";

export function missingPackages(): string[] {
  return localPackages.filter((p) => !p.installed()).map((p) => p.name);
}

function dirHas(dir: string, prefix: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((entry) => entry.startsWith(prefix));
}

/**
 * Installs missing packages with scripts/system-deps.sh (the test suite's
 * installer, which keeps the package's system ejabberd from starting), or,
 * without root, says exactly what to install.
 */
export async function ensurePackages(log: (line: string) => void): Promise<void> {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new InputError(
      `missing Debian packages: ${missing.join(", ")}; run: sudo apt-get install -y ${missing.join(" ")}`,
    );
  }
  log(`installing missing Debian packages: ${missing.join(", ")}`);
  await run("bash", [resolve(__dirname, "../scripts/system-deps.sh")], { timeoutMs: 600_000 });
  const still = missingPackages();
  if (still.length > 0) throw new FailedError(`packages still missing after installing: ${still.join(", ")}`);
}

/** Ports the kernel says are free now, all different. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((ok, fail) => {
        server.once("error", fail);
        server.listen(0, "127.0.0.1", () => ok(server));
      });
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Values passed among the arguments that must not reach the error message (passwords). @default [] */
  secrets?: string[];
}

/** Runs a command to completion; throws FailedError with its output, secrets masked, when it fails. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  const mask = (text: string) =>
    (options.secrets ?? []).filter((s) => s !== "").reduce((t, s) => t.split(s).join("********"), text);
  return new Promise((ok, fail) => {
    execFile(
      command,
      args,
      { env: options.env, cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err)
          fail(
            new FailedError(mask(`${command} ${args.join(" ")} failed: ${(stderr || stdout || err.message).trim()}`)),
          );
        else ok(stdout);
      },
    );
  });
}

/** uid and gid of a system user, from /etc/passwd. */
export function lookupUser(name: string): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new FailedError(`system user '${name}' does not exist; is its Debian package installed?`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** Argument prefix that runs a command as a system user, without su's PAM session and its 1024 open-file cap. */
export function asUser(user: string): string[] {
  return ["setpriv", `--reuid=${user}`, `--regid=${user}`, "--init-groups"];
}

/** Starts a long-running process in its own process group, so a terminal's Ctrl-C reaches only the runner. */
export function spawnGroup(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string }) {
  return spawn(command, args, { ...options, detached: true, stdio: ["ignore", "ignore", "pipe"] });
}

/** True while any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `signal` to a process group and waits until `alive` turns false, or after `graceMs` sends SIGKILL.
 * `alive` is by default whether any process of the group is: a caller whose leader is its own child can
 * wait for that leader alone, as children a SIGKILL orphaned may linger as zombies nobody reaps.
 */
export async function stopGroup(
  pgid: number,
  signal: NodeJS.Signals,
  graceMs: number,
  alive = () => groupAlive(pgid),
): Promise<void> {
  if (!signalGroup(pgid, signal)) return;
  const exited = (timeoutMs: number, sent: string) =>
    waitUntil(() => !alive(), { what: `process group ${pgid} to exit after ${sent}`, timeoutMs, intervalMs: 50 });
  try {
    await exited(graceMs, signal);
  } catch {
    if (!signalGroup(pgid, "SIGKILL")) return;
    // Nothing outlives SIGKILL for long; what still counts as alive then is a zombie, not worth failing a stop.
    await exited(5000, "SIGKILL").catch(() => undefined);
  }
}

/** Whether the group still existed to receive `signal`. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
