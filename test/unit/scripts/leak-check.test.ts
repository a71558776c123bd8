import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { waitUntil } from "../../../lib/wait";

/**
 * scripts/leak-check.sh, which scripts/test.sh runs after the tests: a
 * process left running from the run's temporary directory fails the suite.
 */

const script = resolve(__dirname, "../../../scripts/leak-check.sh");

function check(tmp: string, windowSeconds: number) {
  return spawnSync("bash", [script, String(windowSeconds)], { env: { ...process.env, TMPDIR: tmp }, encoding: "utf8" });
}

/** The name a fake server runs under: a test directory under `tmp`, as a leaked server's command line names it. */
const fakeServerName = (tmp: string) => join(tmp, "warbler-im-x", "postgres");

/** A process whose command line names a test directory under `tmp`, as a leaked server's would. */
function fakeServer(tmp: string) {
  const child = spawn("bash", ["-c", 'exec -a "$0" sleep 300', fakeServerName(tmp)], {
    stdio: "ignore",
  });
  return child;
}

/** A process's argv as /proc shows it; empty when it cannot be read. */
function argv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Resolves once `pid` runs as `program` (its argv[0]): until the child execs, /proc shows the parent's command
 * line and environment, which the leak check does not match.
 */
async function untilExeced(pid: number | undefined, program: string): Promise<void> {
  assert.ok(pid, "the child was spawned");
  await waitUntil(() => argv(pid)[0] === program, { what: `process ${pid} to exec ${program}`, timeoutMs: 10_000 });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("leak check after the tests", () => {
  it("fails, names and stops a process left running from a test directory", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "leak-check-"));
    const server = fakeServer(tmp);
    try {
      await untilExeced(server.pid, fakeServerName(tmp));
      const r = check(tmp, 60);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /1 process\(es\) left running by the tests/);
      assert.ok(r.stderr.includes(`${server.pid} `), r.stderr);
      const stopped = () => server.exitCode !== null || server.signalCode !== null;
      await waitUntil(stopped, { what: "the leak check to stop the leaked process", timeoutMs: 10_000 });
    } finally {
      server.kill("SIGKILL");
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("also finds a process that only inherited the run's TMPDIR, such as a CLI whose test was stopped", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "leak-check-"));
    const cli = spawn("sleep", ["300"], { stdio: "ignore", env: { ...process.env, TMPDIR: tmp } });
    try {
      await untilExeced(cli.pid, "sleep");
      const r = check(tmp, 60);
      assert.equal(r.status, 1, r.stderr);
      assert.ok(r.stderr.includes(`${cli.pid} sleep 300`), r.stderr);
    } finally {
      cli.kill("SIGKILL");
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("passes when nothing is left, and ignores processes older than the run or outside its directory", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "leak-check-"));
    const elsewhere = mkdtempSync(join(tmpdir(), "leak-check-other-"));
    const other = fakeServer(elsewhere);
    try {
      assert.equal(check(tmp, 60).status, 0);
      const old = fakeServer(tmp);
      try {
        // etimes counts whole seconds: after 1.2 s the process is older than a 0-second window.
        await sleep(1200);
        const r = check(tmp, 0);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(alive(old.pid!), true);
      } finally {
        old.kill("SIGKILL");
      }
    } finally {
      other.kill("SIGKILL");
      rmSync(tmp, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
