import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { connect, type TLSSocket } from "node:tls";
import { parseArgs } from "node:util";
import { Client } from "pg";
import { ArgumentChecks, problemsMessage } from "../lib/check";
import { progress } from "../lib/progress";
import { waitUntil } from "../lib/wait";
import { type LocalIm, startLocalIm } from "../local/runner";

/**
 * Capacity benchmark: `npm run bench:im -- [--connections N] [--duration S]`.
 * Against `warbler im local` (loopback only) it opens N concurrent
 * authenticated sessions over direct TLS, then measures one-to-one message
 * latency at a fixed rate. Prints one JSON object on stdout; docs/benchmarks.md
 * records the figures and docs/capacity.md derives sizing from them.
 *
 * The client is a minimal XMPP implementation: @xmpp/client spends about
 * 150 ms of CPU on SCRAM per login, which would measure the client. SCRAM's
 * PBKDF2 runs once here because every bench user shares salt and password.
 */

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "10000" },
    duration: { type: "string", default: "300" },
    concurrency: { type: "string", default: "100" },
    rate: { type: "string", default: "50" },
    messages: { type: "string", default: "1000" },
  },
});
const flags = new ArgumentChecks();
const connections = positive("connections", args.connections!, 200_000);
const durationS = positive("duration", args.duration!, 3600);
const concurrency = positive("concurrency", args.concurrency!, 2000);
const rate = positive("rate", args.rate!, 5000);
const messageCount = positive("messages", args.messages!, 100_000);
if (flags.problems.length > 0) {
  process.stderr.write(`bench-im: ${problemsMessage(flags.problems)}\n`);
  process.exit(2);
}
const log = progress();

function positive(name: string, text: string, max: number): number {
  const n = Number(text);
  flags.require(Number.isInteger(n) && n >= 1 && n <= max, `--${name}`, text, `must be an integer from 1 to ${max}`);
  return n;
}

/** The soft open-file limit of this process, which caps the client side. */
function openFileLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  return Number(line?.split(/\s+/)[3]);
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1]);
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One authenticated XMPP session over direct TLS. */
class Session {
  private buffer = "";
  private waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  onMessage?: (id: string) => void;

  private constructor(private readonly socket: TLSSocket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      if (this.onMessage) {
        for (const m of this.buffer.matchAll(/<message [^>]*id=['"]bench-(\d+)['"]/g)) this.onMessage(m[1]);
      }
      for (const w of [...this.waiters]) {
        const m = this.buffer.match(w.pattern);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          this.buffer = this.buffer.slice((m.index ?? 0) + m[0].length);
          w.resolve(m);
        }
      }
      if (this.waiters.length === 0 && this.buffer.length > 4096) this.buffer = this.buffer.slice(-1024);
    });
  }

  static open(port: number, ca: string, domain: string): Promise<Session> {
    return new Promise((ok, fail) => {
      const socket = connect({ host: "127.0.0.1", port, ca: [ca], servername: domain }, () => ok(new Session(socket)));
      socket.once("error", fail);
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  expect(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const m = this.buffer.match(pattern);
    if (m) {
      this.buffer = this.buffer.slice((m.index ?? 0) + m[0].length);
      return Promise.resolve(m);
    }
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`timeout waiting for ${pattern}`)), timeoutMs);
      this.waiters.push({
        pattern,
        resolve: (x) => {
          clearTimeout(timer);
          ok(x);
        },
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

const saltedCache = new Map<string, Buffer>();
const hmac = (key: Buffer, text: string) => createHmac("sha1", key).update(text).digest();

async function login(port: number, ca: string, domain: string, user: string, password: string): Promise<Session> {
  const s = await Session.open(port, ca, domain);
  const header =
    `<?xml version='1.0'?><stream:stream to='${domain}' xmlns='jabber:client' ` +
    `xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`;
  s.send(header);
  await s.expect(/<\/stream:features>/);
  const nonce = randomBytes(12).toString("base64");
  const clientFirstBare = `n=${user},r=${nonce}`;
  s.send(
    `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' ` +
      `mechanism='SCRAM-SHA-1'>${Buffer.from(`n,,${clientFirstBare}`).toString("base64")}</auth>`,
  );
  const challenge = Buffer.from((await s.expect(/<challenge[^>]*>([^<]+)<\/challenge>/))[1], "base64").toString();
  const fields = Object.fromEntries(challenge.split(",").map((kv) => [kv[0], kv.slice(2)]));
  const cacheKey = `${fields.s}:${fields.i}`;
  let salted = saltedCache.get(cacheKey);
  if (!salted) {
    salted = pbkdf2Sync(password, Buffer.from(fields.s, "base64"), Number(fields.i), 20, "sha1");
    saltedCache.set(cacheKey, salted);
  }
  const clientKey = hmac(salted, "Client Key");
  const storedKey = createHash("sha1").update(clientKey).digest();
  const finalNoProof = `c=biws,r=${fields.r}`;
  const signature = hmac(storedKey, `${clientFirstBare},${challenge},${finalNoProof}`);
  const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i])).toString("base64");
  s.send(
    `<response ` +
      `xmlns='urn:ietf:params:xml:ns:` +
      `xmpp-sasl'>${Buffer.from(`${finalNoProof},p=${proof}`).toString("base64")}</` +
      `response>`,
  );
  await s.expect(/<success[^>]*>/);
  s.send(header);
  await s.expect(/<\/stream:features>/);
  s.send(
    `<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>bench</resource></bind></iq>`,
  );
  await s.expect(/<iq [^>]*id=['"]bind['"][^>]*type=['"]result['"]|<iq [^>]*type=['"]result['"][^>]*id=['"]bind['"]/);
  s.send("<presence/>");
  return s;
}

/** Calls one ejabberd HTTP API command; the caller names the JSON shape that command answers with. */
async function api<T>(im: LocalIm, command: string, body: object): Promise<T> {
  const res = await fetch(`${im.api}/${command}`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${im.admin.jid}:${im.admin.password}`).toString("base64")}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** One of ejabberd's counters: the `stats` command answers `{ "stat": <count> }`. */
async function stat(im: LocalIm, name: string): Promise<number> {
  return (await api<{ stat: number }>(im, "stats", { name })).stat;
}

async function main(): Promise<void> {
  const limit = openFileLimit();
  if (connections + 200 > limit) {
    process.stderr.write(
      `bench-im: ${connections} connections need ${connections + 200} open files here, but this process may ` +
        `open ${limit}; raise it (ulimit -n) or lower --connections\n`,
    );
    process.exit(1);
  }
  const deadline = Date.now() + durationS * 1000;
  const im = await startLocalIm({ progress: log, sessions: connections });
  const sessions: Session[] = [];
  // Ctrl-C mid-run still stops the server and removes its files.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const s of sessions) s?.close();
      log.info(`${signal}: stopping the local IM service`);
      void im.stop().finally(() => process.exit(130));
    });
  }
  try {
    const password = "bench-password";
    const port = Number(new URL(im.c2sTls).port);
    let done = log.step(`creating ${connections} accounts`);
    await api<unknown>(im, "register", { user: "u0", host: im.domain, password });
    // One SCRAM row copied to every account: registering 10,000 through the API would time the hashing, not the logins.
    const db = new Client({ connectionString: im.database });
    await db.connect();
    await db.query(
      `INSERT INTO users (username, server_host, password, serverkey, salt, iterationcount)
       SELECT 'u' || n, server_host, password, serverkey, salt, iterationcount FROM users, ` +
        `generate_series(1, $1::int) AS n WHERE username = 'u0'`,
      [connections - 1],
    );
    await db.end();
    done();

    const beam = im.ejabberd.beamPid();
    if (!beam) throw new Error("cannot find the beam.smp process");
    // Warm the login path once, so the baseline includes loaded code and caches.
    const idleProcesses = await stat(im, "processes");
    (await login(port, im.certificate, im.domain, "u0", password)).close();
    // The baseline counts no session: wait for the warm-up session's Erlang process to exit (it outlives the session's
    // entry in onlineusersnode by a moment).
    const warmUpGone = { what: "ejabberd to end the warm-up session", timeoutMs: 10_000, intervalMs: 50 };
    await waitUntil(async () => (await stat(im, "processes")) <= idleProcesses, warmUpGone);
    const baseline = { rssKb: rssKb(beam), processes: await stat(im, "processes") };

    done = log.step(`opening ${connections} sessions over TLS, ${concurrency} logins in flight`);
    const loginMs: number[] = [];
    let next = 0;
    let failure: string | undefined;
    const started = performance.now();
    let lastReport = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < connections && !failure && Date.now() < deadline) {
          const i = next++;
          const t0 = performance.now();
          try {
            sessions[i] = await login(port, im.certificate, im.domain, `u${i}`, password);
            loginMs.push(performance.now() - t0);
          } catch (err) {
            failure ??= `session ${i}: ${(err as Error).message}`;
          }
          if (Date.now() - lastReport > 5000) {
            lastReport = Date.now();
            log.info(`  ${loginMs.length} sessions open`);
          }
        }
      }),
    );
    const loginSeconds = (performance.now() - started) / 1000;
    const open = sessions.filter(Boolean);
    done(`${open.length} open${failure ? `; stopped: ${failure}` : ""}`);

    // Measure once the server counts every open session. One it never counts shows as serverOnline < sessionsOpen
    // in the result, so a timeout here is a finding, not a failure.
    const allOnline = { what: "ejabberd to count every open session", timeoutMs: 10_000, intervalMs: 50 };
    await waitUntil(async () => (await stat(im, "onlineusersnode")) >= open.length, allOnline).catch(() => undefined);
    const loaded = {
      rssKb: rssKb(beam),
      processes: await stat(im, "processes"),
      online: await stat(im, "onlineusersnode"),
    };

    done = log.step(`one-to-one messages: ${messageCount} at ${rate}/s`);
    const latencies: number[] = [];
    const sentAt = new Map<string, number>();
    const peers = open.length;
    let sent = 0;
    for (const s of open) {
      s.onMessage = (id) => {
        const t = sentAt.get(id);
        if (t !== undefined) {
          latencies.push(performance.now() - t);
          sentAt.delete(id);
        }
      };
    }
    if (peers >= 2) {
      const interval = 1000 / rate;
      const t0 = performance.now();
      for (let k = 0; k < messageCount && Date.now() < deadline; k++) {
        const wait = t0 + k * interval - performance.now();
        if (wait > 0) await sleep(wait);
        const from = open[(k * 7919) % peers];
        const to = (k * 7919 + 1) % peers;
        sentAt.set(String(k), performance.now());
        from.send(`<message to='u${to}@${im.domain}' type='chat' id='bench-${k}'><body>ping ${k}</body></message>`);
        sent++;
      }
      // Messages still undelivered after 10 s are part of the result (delivered < sent), not a failure.
      const delivered = { what: "every message to be delivered", timeoutMs: 10_000, intervalMs: 50 };
      await waitUntil(() => sentAt.size === 0, delivered).catch(() => undefined);
    }
    latencies.sort((a, b) => a - b);
    done();
    loginMs.sort((a, b) => a - b);

    const result = {
      machine:
        `${readFileSync("/proc/cpuinfo", "utf8").match(/^processor/gm)?.length ?? "?"} vCPU, ` +
        `Node ${process.version}, ejabberd 23.01 (Debian), PostgreSQL 15, loopback, TLS`,
      requested: connections,
      sessionsOpen: open.length,
      serverOnline: loaded.online,
      stoppedBy: failure ?? (open.length < connections ? `--duration ${durationS}s` : null),
      login: {
        perSecond: round(open.length / loginSeconds),
        p50Ms: round(percentile(loginMs, 50)),
        p99Ms: round(percentile(loginMs, 99)),
      },
      memory: {
        baselineRssMb: round(baseline.rssKb / 1024),
        loadedRssMb: round(loaded.rssKb / 1024),
        rssKbPerSession: round((loaded.rssKb - baseline.rssKb) / Math.max(1, open.length)),
        erlangProcessesPerSession: round((loaded.processes - baseline.processes) / Math.max(1, open.length), 2),
      },
      messages: {
        // Fewer than --messages when --duration ran out or fewer than two sessions opened.
        sent,
        ratePerSecond: rate,
        delivered: latencies.length,
        p50Ms: round(percentile(latencies, 50), 2),
        p99Ms: round(percentile(latencies, 99), 2),
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const s of sessions) s?.close();
    const stopping = log.step("stopping");
    await im.stop();
    stopping();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench-im: ${err.message}\n`);
  process.exit(1);
});
