import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

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

async function startCli(args: string[]): Promise<Running> {
  const started = Date.now();
  const child = spawn(process.execPath, [cli, "im", "local", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no JSON line within 30 s; stderr:\n${stderr}`)), 30_000);
    createInterface({ input: child.stdout! }).once("line", (l) => (clearTimeout(timer), ok(l)));
    child.once("exit", (code) => (clearTimeout(timer), fail(new Error(`exited ${code} before ready; stderr:\n${stderr}`))));
  });
  return { child, endpoints: JSON.parse(line), readyMs: Date.now() - started, stderr: () => stderr };
}

const portOf = (url: string) => Number(new URL(url).port);
const listening = (port: number) =>
  new Promise<boolean>((ok) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), ok(true)));
    socket.once("error", () => ok(false));
  });

describe("warbler im local (the CLI)", { timeout: 90_000 }, () => {
  it("runs two instances side by side, each ready within 20 s, and removes everything on SIGINT/SIGTERM", async () => {
    const [quiet, chatty] = await Promise.all([startCli(["--json-only"]), startCli([])]);
    try {
      for (const run of [quiet, chatty]) {
        assert.ok(run.readyMs < 20_000, `ready after ${run.readyMs} ms`);
        const e = run.endpoints;
        assert.deepEqual(Object.keys(e).sort(), ["admin", "api", "c2s", "c2sTls", "certificate", "database", "domain", "metrics", "upload", "websocket"]);
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
      const ports = [quiet, chatty].flatMap(({ endpoints: e }) => [e.c2s, e.c2sTls, e.api, e.metrics, e.database].map(portOf));
      assert.equal(new Set(ports).size, ports.length, `ports overlap: ${ports}`);
      assert.equal(quiet.stderr(), "", "--json-only prints nothing on stderr");
      assert.match(chatty.stderr(), /✓ starting ejabberd/);
    } finally {
      quiet.child.kill("SIGTERM");
      chatty.child.kill("SIGINT");
    }
    const codes = await Promise.all([quiet, chatty].map(({ child }) => new Promise((ok) => child.once("exit", ok))));
    assert.deepEqual(codes, [0, 0]);
    for (const { endpoints: e } of [quiet, chatty]) {
      for (const url of [e.c2s, e.api, e.database]) assert.equal(await listening(portOf(url)), false, `${url} still answers`);
    }
    const dir = /removes (\/\S+)/.exec(chatty.stderr())?.[1];
    assert.ok(dir, chatty.stderr());
    assert.equal(existsSync(dir), false, `${dir} was not removed`);
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
