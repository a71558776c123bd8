import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { imReplicas } from "../../../config/im";
import { capacityTable } from "../../../lib/capacity-table";
import {
  imMaxOpenFiles,
  imSizing,
  instancesFor,
  memoryOptimisedShapes,
  sessionCost,
  sizingPolicy,
} from "../../../lib/im-sizing";
import { imNodeSysctls } from "../../../lib/node-tuning";

const sessions = fc.integer({ min: sizingPolicy.minSessions, max: sizingPolicy.maxSessions });

describe("imSizing", () => {
  it("gives the pod memory for its sessions and the cluster's copies of the others', with the headroom", () => {
    fc.assert(
      fc.property(sessions, fc.integer({ min: 1, max: 50 }), (n, instances) => {
        const { pod } = imSizing(n, instances);
        const ownKiB = n * (sessionCost.memoryKiB + sessionCost.socketKiB);
        const steadyGiB = (ownKiB + (instances - 1) * n * sessionCost.clusterCopyKiB) / 1024 ** 2;
        assert.ok(pod.memoryGiB >= steadyGiB * (1 + sizingPolicy.headroom), `${n}: ${pod.memoryGiB} GiB`);
        assert.ok(pod.memoryGiB < steadyGiB * (1 + sizingPolicy.headroom) + sizingPolicy.idleNodeGiB + 1);
      }),
    );
  });

  it("picks the smallest memory-optimised node whose allocatable memory holds the pod and the daemon sets", () => {
    fc.assert(
      fc.property(sessions, fc.integer({ min: 1, max: 50 }), (n, instances) => {
        const { pod, node } = imSizing(n, instances);
        const fits = (memoryGiB: number) =>
          memoryGiB * sizingPolicy.allocatableShare >=
          pod.memoryGiB + sizingPolicy.sidecarsGiB + sizingPolicy.daemonSetsGiB;
        assert.ok(fits(node.memoryGiB));
        const smaller = memoryOptimisedShapes.filter((s) => s.memoryGiB < node.memoryGiB);
        assert.ok(
          smaller.every((s) => !fits(s.memoryGiB)),
          `${n}: a smaller node would do`,
        );
        assert.ok(pod.cpuLimit < node.vcpu);
        assert.ok(pod.cpuRequest >= 1 && pod.cpuRequest <= pod.cpuLimit);
        assert.ok(pod.cpuRequest <= node.vcpu - sizingPolicy.systemVcpus || pod.cpuRequest === 1);
      }),
    );
  });

  it("never asks the container for more open files than the nodes allow (fs.nr_open)", () => {
    fc.assert(
      fc.property(sessions, (n) => {
        const { erlang } = imSizing(n, 3);
        assert.ok(erlang.maxOpenFiles >= n + 1, "one descriptor per session, and more");
        assert.ok(erlang.maxOpenFiles <= imMaxOpenFiles);
      }),
    );
    assert.equal(imNodeSysctls["fs.nr_open"], String(imMaxOpenFiles));
    assert.ok(Number(imNodeSysctls["fs.file-max"]) >= 2 * imSizing(sizingPolicy.maxSessions, 50).erlang.maxOpenFiles);
  });

  it("sizes the advertised million on a 16 vCPU / 128 GiB node, re-admitted in 20 minutes", () => {
    const million = imSizing(1_000_000, 3);
    assert.deepEqual(million.node, { vcpu: 16, memoryGiB: 128 });
    assert.deepEqual(million.pod, { cpuRequest: 14, cpuLimit: 15, memoryGiB: 93 });
    assert.equal(million.erlang.ports, 1_065_536);
    assert.equal(million.readmitMinutes, 20);
  });

  it("sizes the same sessions larger in a larger cluster: every node holds a copy of every session", () => {
    const alone = imSizing(1_000_000, 1).pod.memoryGiB;
    const inFifty = imSizing(1_000_000, 50).pod.memoryGiB;
    // 49 other instances' 1,000,000 sessions at 1.1 KiB each, with the headroom: about 64 GiB more.
    assert.ok(inFifty - alone >= 63 && inFifty - alone <= 66, `${alone} -> ${inFifty} GiB`);
    assert.throws(() => imSizing(1_000_000, 51), /'instances' \(51\) must be an integer from 1 to 50/);
  });

  it("refuses a session count outside what one instance can be sized for, naming the value", () => {
    for (const bad of [999, 2_000_001, 1.5, Number.NaN])
      assert.throws(() => imSizing(bad, 3), new RegExp(`'sessionsPerInstance' \\(${bad}\\) must be an integer from`));
  });
});

describe("instances for a total", () => {
  it("runs one instance more than the sessions need, and at least three", () => {
    assert.equal(instancesFor(100, 1_000_000), 3);
    assert.equal(instancesFor(2_000_000, 1_000_000), 3);
    assert.equal(instancesFor(2_000_001, 1_000_000), 4);
    assert.equal(instancesFor(2_000_000, 500_000), 5);
  });

  it("lets an explicit replicas win, else derives it from sessions, else runs three", () => {
    assert.equal(imReplicas({ sessionsPerInstance: 1_000_000 }), 3);
    assert.equal(imReplicas({ sessionsPerInstance: 500_000, sessions: 2_000_000 }), 5);
    assert.equal(imReplicas({ sessionsPerInstance: 500_000, sessions: 2_000_000, replicas: 7 }), 7);
  });
});

describe("docs/capacity.md", () => {
  it("prints the sizing table exactly as imSizing computes it", () => {
    const page = readFileSync(join(__dirname, "..", "..", "..", "docs", "capacity.md"), "utf8");
    assert.ok(page.includes(capacityTable()), "docs/capacity.md's table differs from capacityTable()");
  });
});
