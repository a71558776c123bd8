import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, it } from "node:test";
import { waitUntil } from "../../lib/wait";

/**
 * `warbler im local` as a user runs it: the real CLI in a child process,
 * two instances side by side, stopped by a signal.
 */

const cli = resolve(__dirname, "../../bin/warbler.js");

interface Running {
  child: ChildProcess;
  endpoints: Record<string, any>;
  readyMs: number;
  stderr: () => string;
}

/** Every CLI this file started; `after` stops the ones still running, so a failed test leaves no servers behind. */
const started: ChildProcess[] = [];

async function startCli(args: string[]): Promise<Running> {
  const begun = Date.now();
  const child = spawn(process.execPath, [cli, "im", "local", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((ok, fail) => {
    // A bound for a hung start, not a speed target (the 20 s readiness test below is): in `npm test` this file shares
    // the two cores with the plan tier's CLI tests, and PostgreSQL alone took 9.5 s to start there once.
    const timer = setTimeout(() => fail(new Error(`no JSON line within 60 s; stderr:\n${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).once("line", (l) => {
      clearTimeout(timer);
      ok(l);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`exited ${code} before ready; stderr:\n${stderr}`));
    });
  });
  return { child, endpoints: JSON.parse(line), readyMs: Date.now() - begun, stderr: () => stderr };
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
const exited = (child: ChildProcess, ms: number) =>
  waitUntil(() => !running(child), { what: `the CLI (PID ${child.pid}) to exit`, timeoutMs: ms });

/** SIGTERM lets the CLI stop its servers and remove its files; SIGKILL only if it has not exited 30 s later. */
async function stopAll(): Promise<void> {
  await Promise.all(
    started.filter(running).map(async (child) => {
      child.kill("SIGTERM");
      await exited(child, 30_000).catch(() => child.kill("SIGKILL"));
    }),
  );
}

const portOf = (url: string) => Number(new URL(url).port);
const listening = (port: number) =>
  new Promise<boolean>((ok) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      ok(true);
    });
    socket.once("error", () => ok(false));
  });

describe("warbler im local (the CLI)", { timeout: 150_000 }, () => {
  after(stopAll, { timeout: 60_000 });

  it("runs two instances side by side, each ready within 20 s, and removes everything on SIGINT/SIGTERM", async () => {
    const starts = await Promise.allSettled([startCli(["--json-only"]), startCli(["--object-store", "azurite"])]);
    const failed = starts.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const [quiet, chatty] = starts.map((s) => (s as PromiseFulfilledResult<Running>).value);
    try {
      for (const run of [quiet, chatty]) {
        assert.ok(run.readyMs < 20_000, `ready after ${run.readyMs} ms`);
        const e = run.endpoints;
        assert.deepEqual(Object.keys(e).sort(), [
          "admin",
          "analyticsDatabase",
          "api",
          "c2s",
          "c2sTls",
          "certificate",
          "database",
          "domain",
          "metrics",
          "objectStore",
          "upload",
          "websocket",
        ]);
        assert.match(e.c2s, /^xmpp:\/\/127\.0\.0\.1:\d+$/);
        assert.match(e.websocket, /^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
        assert.match(e.api, /^http:\/\/127\.0\.0\.1:\d+\/api$/);
        assert.equal(e.admin.jid, "admin@localhost");
        const status = await fetch(`${e.api}/status`, {
          method: "POST",
          body: "{}",
          headers: { authorization: `Basic ${Buffer.from(`${e.admin.jid}:${e.admin.password}`).toString("base64")}` },
        });
        assert.equal(status.status, 200);
      }
      const ports = [quiet, chatty].flatMap(({ endpoints: e }) =>
        [e.c2s, e.c2sTls, e.api, e.metrics, e.database, e.upload].map(portOf),
      );
      assert.equal(new Set(ports).size, ports.length, `ports overlap: ${ports}`);
      assert.deepEqual([quiet.endpoints.objectStore, chatty.endpoints.objectStore], ["s3", "azurite"]);
      assert.equal(quiet.stderr(), "", "--json-only prints nothing on stderr");
      assert.match(chatty.stderr(), /✓ starting ejabberd/);
    } finally {
      quiet.child.kill("SIGTERM");
      chatty.child.kill("SIGINT");
    }
    for (const { child } of [quiet, chatty]) await exited(child, 40_000);
    assert.deepEqual([quiet.child.exitCode, chatty.child.exitCode], [0, 0]);
    for (const { endpoints: e } of [quiet, chatty]) {
      for (const url of [e.c2s, e.api, e.database, e.upload])
        assert.equal(await listening(portOf(url)), false, `${url} still answers`);
    }
    const dir = /removes (\/\S+)/.exec(chatty.stderr())?.[1];
    assert.ok(dir, chatty.stderr());
    assert.equal(existsSync(dir), false, `${dir} was not removed`);
  });

  it("stops its servers and removes its files even when it is killed with SIGKILL, through its watchdog", async () => {
    const run = await startCli([]);
    const e = run.endpoints;
    const ports = [e.c2s, e.c2sTls, e.api, e.database].map(portOf);
    const dirOf = () => {
      const named = /removes (\/\S+)/.exec(run.stderr());
      if (!named) throw new Error(`stderr so far:\n${run.stderr()}`);
      return named[1];
    };
    const dir = await waitUntil(dirOf, { what: "the runner to name its directory", timeoutMs: 5_000 });
    assert.equal(existsSync(dir), true);
    for (const port of ports) assert.equal(await listening(port), true, `port ${port} answers while the runner is up`);

    run.child.kill("SIGKILL");
    const cleanedUp = async () => {
      const answering = (await Promise.all(ports.map(async (p) => ((await listening(p)) ? [p] : [])))).flat();
      if (existsSync(dir) || answering.length > 0) {
        throw new Error(`${dir} ${existsSync(dir) ? "still exists" : "is gone"}; answering: ${answering.join(", ")}`);
      }
      return true;
    };
    const what = "the watchdog to stop the servers and remove their files";
    await waitUntil(cleanedUp, { what, timeoutMs: 20_000, intervalMs: 200 });
  });

  it("explains itself in --help", async () => {
    const child = spawn(process.execPath, [cli, "im", "local", "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    const code = await new Promise((ok) => child.once("exit", ok));
    assert.equal(code, 0);
    assert.match(out, /--json-only/);
    assert.match(out, /SIGINT or SIGTERM/);
  });
});
