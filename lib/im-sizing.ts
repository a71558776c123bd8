import { ArgumentChecks } from "./check";

/**
 * One number sizes the IM path: the concurrent sessions one ejabberd instance (pod) holds. From it come the pod's
 * requests and limits, the memory-optimised node shape it needs, the Erlang VM limits, the open files the container
 * needs and the time to re-admit a full instance after it is lost. docs/capacity.md prints `capacityTable()` and
 * derives every constant below; a test keeps the page and this file in step.
 */

/** What one idle authenticated TLS session costs, measured with `npm run bench:im` (docs/benchmarks.md). */
export const sessionCost = {
  /**
   * Server memory per session in KiB for planning: 57 KB measured at 10,000 sessions with `ERL_FULLSWEEP_AFTER 0`
   * (docs/capacity.md, Memory per session), plus about 20 % for busier sessions than the idle ones measured.
   */
  memoryKiB: 70,
  /** Kernel socket memory per idle connection outside the process (small default buffers, lib/node-tuning.ts). */
  socketKiB: 5,
  /**
   * What every node spends on each session held elsewhere in the cluster: Mnesia keeps a copy of every session and
   * route on every node, 1.07 KB per cluster session measured on each node of a three-node cluster at 50,000
   * (docs/memory-per-session.md), so it grows with the instances, not with the node's own sessions.
   */
  clusterCopyKiB: 1.1,
  /** Logins one vCPU admits per second, TLS and SCRAM included (a lower bound on shared vCPUs). */
  loginsPerVcpuSecond: 60,
} as const;

/** The planning margins, each with its reason. */
export const sizingPolicy = {
  /** Headroom over the steady state for garbage collection and bursts of presence or offline delivery. */
  headroom: 0.25,
  /** Memory of an idle ejabberd node, in GiB (measured about 0.1; the rest is the module set and caches). */
  idleNodeGiB: 0.5,
  /** Sidecars in the pod (exporter, database TLS proxy), in GiB. */
  sidecarsGiB: 0.5,
  /**
   * The share of a node's memory the kubelet can give pods. The managed clusters reserve memory for the system, AKS
   * the most (about 7 % of 128 GiB; learn.microsoft.com/azure/aks/node-resource-reservations), so 90 % with 1 GiB
   * more for the daemon sets (log shipper, CNI, kube-proxy).
   */
  allocatableShare: 0.9,
  daemonSetsGiB: 1,
  /**
   * vCPUs ejabberd leaves to the kubelet's reservation and the daemon sets (CNI, kube-proxy, log shipper, node
   * exporter, CSI): it requests the node's vCPUs less these, and may burst to all but one.
   */
  systemVcpus: 2,
  /** Sessions one instance may be sized for: below, a general-purpose node is cheaper; above, fs.nr_open caps it. */
  minSessions: 1_000,
  maxSessions: 2_000_000,
} as const;

/**
 * The memory-optimised shapes every kit offers (8 GiB per vCPU): r7i on AWS, Esv5 on Azure, ecs.r7 on Alibaba
 * Cloud. Each kit maps every shape to its instance type, and a cross-kit test checks it.
 */
export const memoryOptimisedShapes = [
  { vcpu: 2, memoryGiB: 16 },
  { vcpu: 4, memoryGiB: 32 },
  { vcpu: 8, memoryGiB: 64 },
  { vcpu: 16, memoryGiB: 128 },
  { vcpu: 32, memoryGiB: 256 },
  // Only for large sessions in a large cluster, where every node's copies of the others' sessions add up.
  { vcpu: 64, memoryGiB: 512 },
] as const;

export type NodeShape = (typeof memoryOptimisedShapes)[number];

/** A shape's key in the kits' tables, such as "16x128". */
export type ShapeKey = NodeShape extends infer S
  ? S extends { vcpu: infer V extends number; memoryGiB: infer M extends number }
    ? `${V}x${M}`
    : never
  : never;

export const shapeKey = (shape: NodeShape): ShapeKey => `${shape.vcpu}x${shape.memoryGiB}` as ShapeKey;

/**
 * The per-process open-file ceiling every kit gives the IM nodes (`fs.nr_open`), and the RLIMIT_NOFILE their
 * container runtime hands the ejabberd container. The largest instance (2,000,000 sessions) needs 2,065,536.
 */
export const imMaxOpenFiles = 2_097_152;

/** Erlang VM limits for one node; charts/im/erlang-tuning.ts renders them into ejabberdctl.cfg. */
export interface ErlangLimits {
  /** Erlang processes (`+P`): one per session plus the node's own. */
  processes: number;
  /** Erlang ports (`+Q`, ERL_MAX_PORTS): one per socket or file. */
  ports: number;
  /** Open files (`ulimit -n`) the container needs; at least `ports`. */
  maxOpenFiles: number;
  /** ETS tables (ERL_MAX_ETS_TABLES): per-module caches, a few per room or host. */
  etsTables: number;
}

/** Processes and ports a node uses with no client connected (measured: about 400 processes). */
const erlangBaseline = { processes: 100_000, ports: 65_536 };

/** Limits for `sessions` concurrent client sessions on one node. */
export function erlangLimits(sessions: number): ErlangLimits {
  const check = new ArgumentChecks();
  check.require(Number.isInteger(sessions) && sessions >= 1, "sessions", sessions, "must be a positive integer");
  check.throwIfAny(RangeError);
  // The VM rounds +P up to a power of two; say so, to keep the figure honest.
  const processes = 2 ** Math.ceil(Math.log2(sessions * 2 + erlangBaseline.processes));
  const ports = sessions + erlangBaseline.ports;
  return { processes, ports, maxOpenFiles: ports, etsTables: 10_000 };
}

/** Everything one instance of `sessionsPerInstance` needs. */
export interface ImSizing {
  sessionsPerInstance: number;
  /** The instances of the cluster: each node also holds a copy of the others' sessions. */
  instances: number;
  /** The ejabberd container: CPU in cores, memory in GiB (its request equals its limit: never overcommitted). */
  pod: { cpuRequest: number; cpuLimit: number; memoryGiB: number };
  /** The smallest memory-optimised node that holds one such pod next to the system and daemon sets. */
  node: NodeShape;
  erlang: ErlangLimits;
  /** Minutes for a full instance's clients to log back in after it is lost, at the measured login rate. */
  readmitMinutes: number;
}

const GiB_IN_KiB = 1024 * 1024;

/** The most ejabberd instances one cluster runs (`warbler:im.replicas`). */
export const maxInstances = 50;

/**
 * The whole sizing for one instance of a cluster of `instances`, each holding `sessionsPerInstance`; a RangeError
 * names each bad value.
 */
export function imSizing(sessionsPerInstance: number, instances: number): ImSizing {
  const { minSessions, maxSessions } = sizingPolicy;
  const check = new ArgumentChecks();
  check.require(
    Number.isInteger(sessionsPerInstance) && sessionsPerInstance >= minSessions && sessionsPerInstance <= maxSessions,
    "sessionsPerInstance",
    sessionsPerInstance,
    `must be an integer from ${minSessions} to ${maxSessions}`,
  );
  check.require(
    Number.isInteger(instances) && instances >= 1 && instances <= maxInstances,
    "instances",
    instances,
    `must be an integer from 1 to ${maxInstances}`,
  );
  check.throwIfAny(RangeError);
  const ownKiB = sessionsPerInstance * (sessionCost.memoryKiB + sessionCost.socketKiB);
  const copiesKiB = (instances - 1) * sessionsPerInstance * sessionCost.clusterCopyKiB;
  const steadyGiB = (ownKiB + copiesKiB) / GiB_IN_KiB;
  const memoryGiB = Math.ceil(steadyGiB * (1 + sizingPolicy.headroom) + sizingPolicy.idleNodeGiB);
  const needed = memoryGiB + sizingPolicy.sidecarsGiB + sizingPolicy.daemonSetsGiB;
  // The largest shape holds 2,000,000 sessions in 50 instances (test/unit/im/sizing.test.ts): one is always found.
  const node = memoryOptimisedShapes.find((shape) => shape.memoryGiB * sizingPolicy.allocatableShare >= needed)!;
  const cpuRequest = Math.max(1, node.vcpu - sizingPolicy.systemVcpus);
  const cpuLimit = Math.max(1, node.vcpu - 1);
  return {
    sessionsPerInstance,
    instances,
    pod: { cpuRequest, cpuLimit, memoryGiB },
    node,
    erlang: erlangLimits(sessionsPerInstance),
    // At the CPU ejabberd is guaranteed: a storm does not wait for the daemon sets to go quiet.
    readmitMinutes: Math.ceil(sessionsPerInstance / (sessionCost.loginsPerVcpuSecond * cpuRequest) / 60),
  };
}

/**
 * The ejabberd instances for `sessions` in total: one more than the sessions need, so losing one instance leaves
 * room for its clients, and at least three for a quorum of peers to rejoin.
 */
export function instancesFor(sessions: number, sessionsPerInstance: number): number {
  return Math.max(3, Math.ceil(sessions / sessionsPerInstance) + 1);
}

/** The fewest instances that hold `sessions` at all (with no spare). */
export function minimumInstances(sessions: number, sessionsPerInstance: number): number {
  return Math.ceil(sessions / sessionsPerInstance);
}

/** The dedicated node pool each kit creates for ejabberd, and how the chart lands on it alone. */
export const imNodePool = {
  name: "ejabberd",
  label: { key: "warbler.io/pool", value: "ejabberd" },
  taint: { key: "warbler.io/dedicated", value: "ejabberd", effect: "NoSchedule" },
} as const;

/** The sessions docs/capacity.md tabulates, for a cluster of `capacityTableInstances`. */
export const capacityTableSessions = [10_000, 100_000, 250_000, 500_000, 1_000_000, 2_000_000] as const;

/** The cluster docs/capacity.md's table is for: the example stacks' three instances. */
export const capacityTableInstances = 3;
