import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { LocalPostgres } from "../../lib/local-postgres";
import type { Progress } from "../../lib/progress";
import { waitUntil } from "../../lib/wait";
import { type ClusterNode, startClusterNode, startEpmd } from "../../local/cluster-node";
import type { ConfigTuning } from "../../local/ejabberd";
import { startLocalIm } from "../../local/runner";
import type { Scenario } from "./args";
import type { ErlangTarget } from "./probe";

/** One ejabberd node under test. */
export interface BenchNode {
  name: string;
  host: string;
  tlsPort: number;
  httpPort: number;
  erlang: ErlangTarget;
  beamPid(): number | undefined;
  /** One of the node's counters (`stats` command: onlineusersnode, processes). */
  stat(name: string): Promise<number>;
}

/** The servers of one scenario: nodes, their certificate, and how to create accounts. */
export interface BenchServers {
  nodes: BenchNode[];
  ca: string;
  domain: string;
  /** Creates accounts u0 .. u<count-1>, all with `password`. */
  createUsers(count: number, password: string): Promise<void>;
  stop(): Promise<void>;
}

const certificates = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Calls ejabberd's HTTP API as an administrator. */
async function api<T>(url: string, jid: string, password: string, command: string, body: object): Promise<T> {
  const res = await fetch(`${url}/${command}`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${jid}:${password}`).toString("base64")}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`ejabberd API ${command}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * One SCRAM row copied to every account: registering thousands through the API would time the hashing, not the
 * logins. `u0` must exist already.
 */
async function copyUser(databaseUrl: string, count: number): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO users (username, server_host, password, serverkey, salt, iterationcount)
       SELECT 'u' || n, server_host, password, serverkey, salt, iterationcount FROM users, ` +
        `generate_series(1, $1::int) AS n WHERE username = 'u0' ON CONFLICT DO NOTHING`,
      [count - 1],
    );
  } finally {
    await db.end();
  }
}

function nodeApi(url: string, jid: string, password: string) {
  return async (name: string) => (await api<{ stat: number }>(url, jid, password, "stats", { name })).stat;
}

/** `warbler im local`: one node, its PostgreSQL, exporter and upload service. */
async function single(sessions: number, log: Progress, tune: ConfigTuning): Promise<BenchServers> {
  const im = await startLocalIm({ progress: log, sessions, tune });
  const stat = nodeApi(im.api, im.admin.jid, im.admin.password);
  return {
    nodes: [
      {
        name: im.ejabberd.node,
        host: "127.0.0.1",
        tlsPort: Number(new URL(im.c2sTls).port),
        httpPort: Number(new URL(im.websocket).port),
        erlang: { node: im.ejabberd.node, home: im.ejabberd.home, distPort: im.ejabberd.distPort },
        beamPid: () => im.ejabberd.beamPid(),
        stat,
      },
    ],
    ca: im.certificate,
    domain: im.domain,
    createUsers: async (count, password) => {
      await api(im.api, im.admin.jid, im.admin.password, "register", { user: "u0", host: im.domain, password });
      await copyUser(im.database, count);
    },
    stop: () => im.stop(),
  };
}

/** Three nodes on loopback, each run by the chart's cluster.sh, joined as the StatefulSet's pods join. */
async function cluster(sessions: number, log: Progress, tune: ConfigTuning): Promise<BenchServers> {
  const dir = mkdtempSync(join(tmpdir(), "warbler-bench-cluster-"));
  chmodSync(dir, 0o755);
  const started: ClusterNode[] = [];
  const postgres = await LocalPostgres.create({ name: "bench-cluster" });
  const epmd = await startEpmd();
  const stop = async () => {
    await Promise.all(started.map((n) => n.stop()));
    await epmd.stop();
    await postgres.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await postgres.start();
    const database = await postgres.createEjabberdDatabase();
    const replicas = 3;
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      const done = log.step(`starting cluster node ${ordinal} and joining it`);
      const node = await startClusterNode({
        dir: join(dir, `node-${ordinal}`),
        ordinal,
        replicas,
        cookie: `bench-${process.pid}-cookie`,
        epmdPort: epmd.port,
        database,
        checkPeriod: 30,
        healPeriod: 60,
        sessions: Math.ceil(sessions / replicas),
        tune,
      });
      started.push(node);
      await waitUntil(() => node.ready(), { what: `${node.node} to be ready`, timeoutMs: 120_000, intervalMs: 1000 });
      done(node.node);
    }
    const members = await started[0].members();
    if (members.length !== replicas) throw new Error(`cluster has ${members.length} members: ${members.join(", ")}`);
    const admin = { jid: "admin@localhost", password: `bench-admin-${process.pid}` };
    await started[0].ctl(["register", "admin", "localhost", admin.password]);
    return {
      nodes: started.map((n) => ({
        name: n.node,
        host: "127.0.0.1",
        tlsPort: n.ports.c2sTls,
        httpPort: n.ports.http,
        erlang: { node: n.node, home: n.home, epmdPort: epmd.port },
        beamPid: () => n.beamPid(),
        stat: nodeApi(`http://127.0.0.1:${n.ports.http}/api`, admin.jid, admin.password),
      })),
      // The node's file holds certificate and key, as the Secret does; clients trust the certificates only.
      ca: started.map((n) => n.certificatePem().match(certificates)?.join("\n") ?? "").join("\n"),
      domain: "localhost",
      createUsers: async (count, password) => {
        await started[0].ctl(["register", "u0", "localhost", password]);
        await copyUser(database.url, count);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts the servers of `scenario`, sized for `sessions` in all. */
export function startServers(scenario: Scenario, sessions: number, log: Progress, tune: ConfigTuning) {
  return scenario === "cluster" ? cluster(sessions, log, tune) : single(sessions, log, tune);
}
