import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type EjabberdDatabase, LocalPostgres } from "../../lib/local-postgres";
import { waitUntil } from "../../lib/wait";
import { type ClusterNode, type ClusterNodeOptions, nodeName, startClusterNode, startEpmd } from "./cluster-node";

/**
 * Membership heals. Two Debian ejabberd 23.01 nodes on loopback, one PostgreSQL, one cookie, each run by the
 * chart's own cluster.sh (charts/im/cluster-script.ts) as a StatefulSet pod runs it. A node killed with SIGKILL
 * comes back with an empty Mnesia, as a new pod's emptyDir is, and the cluster is whole again. The membership
 * loop's choice of peer (re-join the lowest ordinal that answers) is tested against a stand-in ejabberdctl in
 * test/unit/im/cluster-script.test.ts; a real netsplit is not reproduced here (docs/im.md, Membership).
 *
 * Each ejabberdctl call boots an Erlang VM (about 1.7 s here), so this file takes about 80 s.
 */

const dir = mkdtempSync(join(tmpdir(), "warbler-cluster-heal-"));
chmodSync(dir, 0o755);
let postgres: LocalPostgres;
let database: EjabberdDatabase;
let epmd: Awaited<ReturnType<typeof startEpmd>>;
const nodes: ClusterNode[] = [];

const both = [nodeName(0), nodeName(1)].sort();
const options = (ordinal: number, replicas = 2): ClusterNodeOptions => ({
  dir: join(dir, `node-${ordinal}`),
  ordinal,
  replicas,
  cookie: "cluster-heal-test-cookie",
  epmdPort: epmd.port,
  database,
  checkPeriod: 1,
  healPeriod: 2,
});

/** Starts a node as a new pod: new volumes, so an empty Mnesia. */
async function start(ordinal: number, replicas = 2): Promise<ClusterNode> {
  const node = await startClusterNode(options(ordinal, replicas));
  nodes.push(node);
  await waitUntil(() => node.ready(), { what: `${node.node} to be ready`, timeoutMs: 60_000, intervalMs: 500 }).catch(
    (err: Error) => {
      throw new Error(`${err.message}\ncluster.sh said:\n${node.output()}`);
    },
  );
  return node;
}

/** Waits until `node` lists exactly `expected` as running members. */
async function membersBecome(node: ClusterNode, expected: string[], timeoutMs = 30_000): Promise<void> {
  let last: string[] = [];
  await waitUntil(
    async () => {
      last = await node.members().catch(() => []);
      return JSON.stringify(last) === JSON.stringify(expected);
    },
    { what: `${node.node} to list ${expected.join(", ")}`, timeoutMs, intervalMs: 1000 },
  ).catch((err: Error) => {
    throw new Error(`${err.message} (last: ${last.join(", ")})\ncluster.sh said:\n${node.output()}`);
  });
}

before(async () => {
  postgres = await LocalPostgres.create({ name: "cluster-heal" });
  await postgres.start();
  database = await postgres.createEjabberdDatabase();
  epmd = await startEpmd();
});

after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await epmd?.stop();
  await postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe("cluster membership heals (two Debian ejabberd 23.01 nodes, the chart's cluster.sh)", () => {
  let first: ClusterNode;
  let second: ClusterNode;

  it("the first node starts the cluster and the second joins it on start", async () => {
    first = await start(0);
    assert.match(first.output(), /no peer answered; this node starts the cluster/);
    second = await start(1);
    assert.match(second.output(), new RegExp(`joined ${nodeName(0)}`));
    await membersBecome(first, both);
    await membersBecome(second, both);
  });

  it("a member killed with SIGKILL and restarted with an empty Mnesia re-joins on start", async () => {
    await first.kill();
    await membersBecome(second, [nodeName(1)]);
    first = await start(0);
    // Either the node joined its peer, or Mnesia on the peer, which still lists this node name, merged the new node's
    // empty schema as it connected: both leave one cluster of two.
    assert.match(first.output(), new RegExp(`joined ${nodeName(1)}|already clustered`));
    await membersBecome(first, both);
    await membersBecome(second, both);
  });
});
