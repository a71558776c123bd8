import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { problemsMessage } from "../lib/check";
import { progress } from "../lib/progress";
import { waitUntil } from "../lib/wait";
import { type BenchOptions, parseBenchArgs } from "./bench-im/args";
import { type Lever, levers } from "./bench-im/levers";
import { planWorkers, sharesAt, splitByWeight, type Transport } from "./bench-im/plan";
import { type Breakdown, breakdown, collectAll, rssKb } from "./bench-im/probe";
import type { Collected, Opened, Stormed } from "./bench-im/protocol";
import { type BenchServers, startServers } from "./bench-im/servers";
import { drift, kbPerSession, rates, round, summarise } from "./bench-im/stats";
import { Workers } from "./bench-im/workers";
import { login } from "./bench-im/xmpp";

/**
 * Capacity benchmark: `npm run bench:im -- [--scenario single|cluster] [--connections N] [--websocket N] [--storm]
 * [--soak-minutes M] [--lever NAME]`. Loopback only. One ejabberd node (`warbler im local`) or three joined by the
 * chart's cluster.sh; the load comes from forked client workers (at most 15,000 sockets each, each from its own
 * 127.0.0.x address). It opens the TLS sessions (measuring memory at each checkpoint), sends one-to-one messages,
 * then does the same over WebSocket, optionally soaks idle and storms, and prints one JSON object on stdout.
 * docs/benchmarks.md records the figures, docs/memory-per-session.md the levers.
 */

/** The soft open-file limit of this process: every process here (ejabberd, workers) gets the same. */
function openFileLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  return Number(line?.split(/\s+/)[3]);
}

const { options, problems } = (() => {
  try {
    return parseBenchArgs(process.argv.slice(2), openFileLimit());
  } catch (err) {
    return { options: undefined, problems: [(err as Error).message] };
  }
})();
if (problems.length > 0 || !options) {
  process.stderr.write(`bench-im: ${problemsMessage(problems)}\n`);
  process.exit(2);
}
const log = progress();
const password = "bench-password";

interface NodeMemory {
  node: string;
  sessions: number;
  rssKb: number;
  kbPerSession: number;
}

/** RSS of every node against its baseline, once each node counts the sessions it should hold. */
async function measure(servers: BenchServers, baseline: number[], expected: number[]): Promise<NodeMemory[]> {
  await Promise.all(
    servers.nodes.map((n, i) =>
      waitUntil(async () => (await n.stat("onlineusersnode")) >= expected[i], {
        what: `${n.name} to count ${expected[i]} sessions`,
        timeoutMs: 30_000,
        intervalMs: 250,
      }).catch(() => undefined),
    ),
  );
  // Let the last logins' garbage be collected before reading RSS.
  await sleep(2000);
  return Promise.all(
    servers.nodes.map(async (n, i) => {
      const sessions = await n.stat("onlineusersnode");
      const rss = rssKb(n.beamPid()!);
      return { node: n.name, sessions, rssKb: rss, kbPerSession: kbPerSession(baseline[i], rss, sessions - 0) };
    }),
  );
}

/** Weighted figure over nodes: total RSS growth over total sessions. */
const overall = (rows: NodeMemory[], baseline: number[]) =>
  kbPerSession(
    baseline.reduce((a, b) => a + b, 0),
    rows.reduce((a, r) => a + r.rssKb, 0),
    rows.reduce((a, r) => a + r.sessions, 0),
  );

async function messages(workers: Workers, transport: Transport, count: number, rate: number, open: number[]) {
  const total = open.reduce((a, b) => a + b, 0);
  if (total < 2 || count === 0) return { sent: 0, delivered: 0, ratePerSecond: rate, p50Ms: NaN, p99Ms: NaN };
  const counts = splitByWeight(count, open);
  let offset = 0;
  await workers.ask(
    counts.map((c) => {
      const request = { type: "messages" as const, transport, count: c, rate: (rate * c) / count || 1, offset };
      offset += c;
      return request;
    }),
  );
  await sleep(3000);
  const got = await workers.all<Collected>({ type: "collect" });
  const latencies = got.flatMap((g) => g.messageMs);
  return { sent: count, delivered: latencies.length, ratePerSecond: rate, ...summarise(latencies) };
}

async function main(o: BenchOptions): Promise<void> {
  const deadline = Date.now() + o.durationS * 1000;
  const loads: number[][] = [loadavg()];
  const lever: Lever = levers[o.lever];
  const servers = await startServers(o.scenario, o.connections, log, lever);
  let workers: Workers | undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      workers?.stop();
      log.info(`${signal}: stopping the servers`);
      void servers.stop().finally(() => process.exit(130));
    });
  }
  try {
    let done = log.step(`creating ${o.connections} accounts`);
    await servers.createUsers(o.connections, password);
    done();
    // Warm each node's login path once, so the baseline includes loaded code and caches.
    const idle = await Promise.all(servers.nodes.map((n) => n.stat("processes")));
    for (const n of servers.nodes) {
      const e = { transport: "tls" as const, host: n.host, port: n.tlsPort, ca: servers.ca, domain: servers.domain };
      (await login({ ...e, localAddress: "127.0.0.1" }, "u0", password)).close();
    }
    await Promise.all(
      servers.nodes.map((n, i) =>
        waitUntil(async () => (await n.stat("processes")) <= idle[i], {
          what: `${n.name} to end the warm-up session`,
          timeoutMs: 10_000,
          intervalMs: 100,
        }).catch(() => undefined),
      ),
    );
    // Where the idle node's memory is, to subtract from the loaded node's (docs/memory-per-session.md).
    const idleBreakdown = await breakdown(servers.nodes[0].erlang);
    // Nodes that just joined are still settling (Mnesia copies, the first membership checks).
    await sleep(5000);
    const baseline = servers.nodes.map((n) => rssKb(n.beamPid()!));

    const plans = planWorkers(o.connections);
    const tls = o.connections - o.websocket;
    const tlsCounts = plans.map((p) => Math.max(0, Math.min(p.first + p.count, tls) - p.first));
    done = log.step(`starting ${plans.length} client workers`);
    workers = await Workers.start(plans, {
      nodes: servers.nodes.map((n) => ({ host: n.host, tlsPort: n.tlsPort, httpPort: n.httpPort })),
      ca: servers.ca,
      domain: servers.domain,
      password,
      sessions: o.connections,
      websocket: o.websocket,
      concurrency: Math.ceil(o.concurrency / plans.length),
    });
    done(plans.map((p) => `${p.sourceAddress}: ${p.count}`).join(", "));

    const nodesShare = (total: number) =>
      sharesAt(
        total,
        servers.nodes.map(() => 1),
      );
    const checkpoints: { sessions: number; kbPerSession: number; nodes: NodeMemory[] }[] = [];
    const loginMs: number[] = [];
    let loginSeconds = 0;
    let firstError: string | undefined;
    for (const target of [...o.checkpoints, tls]) {
      done = log.step(`opening TLS sessions up to ${target}, ${o.concurrency} logins in flight`);
      const t0 = performance.now();
      const opened = await workers.ask<Opened>(
        sharesAt(target, tlsCounts).map((upTo) => ({ type: "open", upTo, deadline })),
      );
      loginSeconds += (performance.now() - t0) / 1000;
      loginMs.push(...opened.flatMap((r) => r.loginMs));
      firstError ??= opened.find((r) => r.firstError)?.firstError;
      const open = opened.reduce((a, r) => a + r.open, 0);
      done(`${open} open${firstError ? `; first failure: ${firstError}` : ""}`);
      loads.push(loadavg());
      const nodes = await measure(servers, baseline, nodesShare(open));
      checkpoints.push({ sessions: open, kbPerSession: overall(nodes, baseline), nodes });
      if (open < target) break;
    }
    const tlsOpen = checkpoints[checkpoints.length - 1].sessions;

    done = log.step("where node 0's memory goes (erlang:memory, process groups, allocators)");
    const where: Breakdown = await breakdown(servers.nodes[0].erlang);
    done();

    done = log.step(`one-to-one TLS messages: ${o.messages} at ${o.rate}/s`);
    const tlsMessages = await messages(workers, "tls", o.messages, o.rate, tlsCounts);
    done(`${tlsMessages.delivered} of ${tlsMessages.sent} delivered`);

    let websocket: object | null = null;
    if (o.websocket > 0) {
      done = log.step(`opening ${o.websocket} WebSocket sessions`);
      const before = await measure(servers, baseline, nodesShare(tlsOpen));
      const t0 = performance.now();
      const opened = await workers.ask<Opened>(plans.map((p) => ({ type: "open", upTo: p.count, deadline })));
      const seconds = (performance.now() - t0) / 1000;
      const wsLogin = opened.flatMap((r) => r.loginMs);
      const wsOpen = opened.reduce((a, r) => a + r.open, 0) - tlsOpen;
      done(`${wsOpen} open`);
      const after = await measure(servers, baseline, nodesShare(tlsOpen + wsOpen));
      const wsCounts = plans.map((p, i) => p.count - tlsCounts[i]);
      const wsMessages = await messages(workers, "ws", Math.min(o.messages, 1000), o.rate, wsCounts);
      websocket = {
        sessionsOpen: wsOpen,
        failedLogins: opened.reduce((a, r) => a + r.failures, 0),
        firstError: opened.find((r) => r.firstError)?.firstError ?? null,
        login: { perSecond: round(wsOpen / seconds), ...summarise(wsLogin) },
        kbPerSession: kbPerSession(
          before.reduce((a, r) => a + r.rssKb, 0),
          after.reduce((a, r) => a + r.rssKb, 0),
          wsOpen,
        ),
        messages: wsMessages,
      };
    }

    // Last, as it frees memory the next sessions would reuse: what hibernating every process would at least reclaim.
    done = log.step("a forced full collection of every process on node 0");
    await collectAll(servers.nodes[0].erlang);
    await sleep(2000);
    const afterGc = rssKb(servers.nodes[0].beamPid()!);
    const node0Sessions = await servers.nodes[0].stat("onlineusersnode");
    done();

    let soak: object | null = null;
    if (o.soakMinutes > 0) {
      done = log.step(`idle soak: ${o.soakMinutes} min, RSS every 30 s`);
      const samples: [number, number][] = [];
      const end = Math.min(deadline, Date.now() + o.soakMinutes * 60_000);
      for (;;) {
        samples.push([Date.now(), servers.nodes.reduce((a, n) => a + rssKb(n.beamPid()!), 0)]);
        if (Date.now() >= end) break;
        await sleep(Math.min(30_000, end - Date.now()));
      }
      const online = (await Promise.all(servers.nodes.map((n) => n.stat("onlineusersnode")))).reduce((a, b) => a + b);
      loads.push(loadavg());
      soak = { minutes: o.soakMinutes, sessionsAtEnd: online, ...drift(samples, online), samples: samples.length };
      done();
    }

    let storm: object | null = null;
    if (o.storm) {
      const node = o.scenario === "cluster" ? 0 : null;
      done = log.step(
        `reconnect storm: dropping ${node === null ? "every" : "node 0's"} client, jitter ${o.stormJitterMs} ms`,
      );
      const got = await workers.all<Stormed>({ type: "storm", node, jitterMs: o.stormJitterMs, deadline });
      const killedAt = Math.min(...got.map((g) => g.killedAt));
      const stamps = got.flatMap((g) => g.stamps);
      const lost = got.reduce((a, g) => a + g.lost, 0);
      const r = rates(killedAt, stamps);
      loads.push(loadavg());
      storm = {
        dropped: lost,
        readmitted: stamps.length,
        timeToReadmitS: round(r.spanMs / 1000),
        loginsPerSecond: { mean: r.meanPerSecond, peak: r.peakPerSecond },
        login: summarise(got.flatMap((g) => g.loginMs)),
        retries: got.reduce((a, g) => a + g.retries, 0),
        firstError: got.find((g) => g.firstError)?.firstError ?? null,
      };
      done(`${stamps.length} of ${lost} back in ${r.spanMs} ms`);
    }

    const cpus = readFileSync("/proc/cpuinfo", "utf8").match(/^processor/gm)?.length ?? "?";
    const result = {
      machine: `${cpus} vCPU, Node ${process.version}, ejabberd 23.01 (Debian), PostgreSQL 15, loopback`,
      date: new Date().toISOString(),
      scenario: o.scenario,
      lever: { name: o.lever, description: lever.description },
      loadAverage: loads.map((l) => l.map((x) => round(x, 2))),
      requested: { connections: o.connections, websocket: o.websocket },
      workers: plans.map((p) => ({ sourceAddress: p.sourceAddress, sessions: p.count })),
      tls: {
        sessionsOpen: tlsOpen,
        stoppedBy: firstError ?? (tlsOpen < tls ? `--duration ${o.durationS}s` : null),
        login: { perSecond: round(tlsOpen / loginSeconds), ...summarise(loginMs) },
        memory: {
          baselineRssMb: baseline.map((b) => round(b / 1024)),
          checkpoints,
          // After the WebSocket share too: node 0's sessions of both kinds.
          node0AfterForcedGc: { rssKb: afterGc, kbPerSession: kbPerSession(baseline[0], afterGc, node0Sessions) },
          node0IdleBreakdown: idleBreakdown,
          node0Breakdown: where,
        },
        messages: tlsMessages,
      },
      websocket,
      soak,
      storm,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    workers?.stop();
    const stopping = log.step("stopping");
    await servers.stop();
    stopping();
  }
}

main(options).catch((err: Error) => {
  process.stderr.write(`bench-im: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
