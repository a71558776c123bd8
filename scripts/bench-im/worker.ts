import { setTimeout as sleep } from "node:timers/promises";
import { backoffMs, nodeOf, recipientOf, type Transport, transportOf } from "./plan";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol";
import { type Endpoint, login, nowMs, type Session } from "./xmpp";

/**
 * One client worker of `npm run bench:im`, forked by the benchmark: holds up to 15,000 sessions from its own loopback
 * source address and does what the benchmark asks over IPC (scripts/bench-im/protocol.ts).
 */

let init: WorkerInit;
const sessions: (Session | undefined)[] = [];
const messageMs: number[] = [];
let sent = 0;

const reply = (m: FromWorker) => process.send?.(m);
const userOf = (local: number) => init.plan.first + local;

function endpoint(user: number): Endpoint {
  const node = init.nodes[nodeOf(user, init.nodes.length)];
  const transport = transportOf(user, init.sessions, init.websocket);
  return {
    transport,
    host: node.host,
    port: transport === "ws" ? node.httpPort : node.tlsPort,
    ca: init.ca,
    domain: init.domain,
    localAddress: init.plan.sourceAddress,
  };
}

async function loginUser(local: number): Promise<Session> {
  const s = await login(endpoint(userOf(local)), `u${userOf(local)}`, init.password);
  s.onMessage = (ms) => messageMs.push(ms);
  sessions[local] = s;
  return s;
}

/** Runs `next` from `concurrency` loops until it answers false. */
async function pool(concurrency: number, next: () => Promise<boolean>): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (await next()) {}
    }),
  );
}

async function open(upTo: number, deadline: number): Promise<void> {
  const loginMs: number[] = [];
  const stamps: number[] = [];
  let failures = 0;
  let firstError: string | undefined;
  let next = sessions.filter(Boolean).length;
  await pool(init.concurrency, async () => {
    if (next >= upTo || Date.now() > deadline || failures > 100) return false;
    const local = next++;
    const t0 = nowMs();
    try {
      await loginUser(local);
      stamps.push(nowMs());
      loginMs.push(stamps[stamps.length - 1] - t0);
    } catch (err) {
      failures++;
      firstError ??= `u${userOf(local)}: ${(err as Error).message}`;
    }
    return true;
  });
  reply({ type: "opened", open: sessions.filter(Boolean).length, loginMs, stamps, failures, firstError });
}

async function messages(transport: Transport, count: number, rate: number, offset: number): Promise<void> {
  const own = sessions.flatMap((s, local) =>
    s && transportOf(userOf(local), init.sessions, init.websocket) === transport ? [userOf(local)] : [],
  );
  const tls = init.sessions - init.websocket;
  const [base, peers] = transport === "tls" ? [0, tls] : [tls, init.websocket];
  const t0 = performance.now();
  let done = 0;
  for (let k = 0; k < count && own.length > 0 && peers >= 2; k++) {
    const wait = t0 + (k * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const from = own[(k * 7919) % own.length];
    const to = base + recipientOf(offset + k, from - base, peers);
    sessions[from - init.plan.first]?.send(
      `<message to='u${to}@${init.domain}' type='chat' id='bench-${offset + k}'><body>t=${nowMs()}</body></message>`,
    );
    done++;
  }
  sent += done;
  reply({ type: "sent", sent: done });
}

async function storm(node: number | null, jitterMs: number, deadline: number): Promise<void> {
  const lost: number[] = [];
  for (const [local, s] of sessions.entries()) {
    if (s && (node === null || nodeOf(userOf(local), init.nodes.length) === node)) {
      s.close();
      sessions[local] = undefined;
      lost.push(local);
    }
  }
  const killedAt = nowMs();
  // Each lost client waits a jittered delay, then retries with full-jitter exponential back-off on failure.
  const queue = lost.map((local) => ({ local, at: killedAt + Math.random() * jitterMs, attempt: 0 }));
  const stamps: number[] = [];
  const loginMs: number[] = [];
  let retries = 0;
  let firstError: string | undefined;
  await pool(init.concurrency, async () => {
    if (queue.length === 0 || Date.now() > deadline) return false;
    queue.sort((a, b) => a.at - b.at);
    const item = queue.shift()!;
    const wait = item.at - nowMs();
    if (wait > 0) await sleep(wait);
    const t0 = nowMs();
    try {
      await loginUser(item.local);
      stamps.push(nowMs());
      loginMs.push(stamps[stamps.length - 1] - t0);
    } catch (err) {
      retries++;
      firstError ??= (err as Error).message;
      queue.push({
        ...item,
        at: nowMs() + backoffMs(item.attempt, 1000, 30_000, Math.random()),
        attempt: item.attempt + 1,
      });
    }
    return true;
  });
  reply({
    type: "stormed",
    killedAt,
    lost: lost.length,
    readmitted: stamps.length,
    stamps,
    loginMs,
    retries,
    firstError,
  });
}

process.on("message", (m: ToWorker) => {
  const fail = (err: Error) => {
    process.stderr.write(`bench-im worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
  };
  switch (m.type) {
    case "init":
      init = m;
      reply({ type: "ready" });
      break;
    case "open":
      open(m.upTo, m.deadline).catch(fail);
      break;
    case "messages":
      messages(m.transport, m.count, m.rate, m.offset).catch(fail);
      break;
    case "collect":
      reply({ type: "collected", messageMs: messageMs.splice(0), sent });
      sent = 0;
      break;
    case "storm":
      storm(m.node, m.jitterMs, m.deadline).catch(fail);
      break;
    case "stop":
      for (const s of sessions) s?.close();
      process.exit(0);
  }
});
