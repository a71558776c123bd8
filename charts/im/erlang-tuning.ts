import { ArgumentChecks } from "../../lib/check";
import { imMaxOpenFiles } from "../../lib/node-tuning";

/**
 * Erlang VM limits for an ejabberd node, and the ejabberdctl.cfg that sets
 * them. docs/capacity.md derives the figures from the measured cost of one
 * session: one Erlang process and one port (socket) each, plus headroom for
 * the node's own processes, database connections and cluster links.
 */

export interface ErlangLimits {
  /** Erlang processes (`+P`): one per session plus the node's own. */
  processes: number;
  /** Erlang ports (`+Q`, ERL_MAX_PORTS): one per socket or file. */
  ports: number;
  /** Open-file limit (`ulimit -n`) the container needs; at least `ports`. */
  maxOpenFiles: number;
  /** ETS tables (ERL_MAX_ETS_TABLES): per-module caches, a few per room or host. */
  etsTables: number;
}

/** Processes, ports and tables a node uses with no client connected (measured: about 400 processes). */
const baseline = { processes: 100_000, ports: 65_536 };

/** Limits for `sessions` concurrent client sessions on one node. */
export function erlangLimits(sessions: number): ErlangLimits {
  const check = new ArgumentChecks();
  check.require(Number.isInteger(sessions) && sessions >= 1, "sessions", sessions, "must be a positive integer");
  check.throwIfAny(RangeError);
  // The VM rounds +P up to a power of two; say so, to keep the figure honest.
  const processes = 2 ** Math.ceil(Math.log2(sessions * 2 + baseline.processes));
  const ports = sessions + baseline.ports;
  return { processes, ports, maxOpenFiles: ports, etsTables: 10_000 };
}

/** Sessions per node the platform is sized for (the modelled product's 1M, within the kits' fs.nr_open). */
export const sessionsPerNode = 1_000_000;

/** Limits the chart applies to every ejabberd container. */
export const clusterLimits: ErlangLimits = erlangLimits(sessionsPerNode);

if (clusterLimits.maxOpenFiles > imMaxOpenFiles) {
  throw new Error(
    `clusterLimits.maxOpenFiles (${clusterLimits.maxOpenFiles}) exceeds imMaxOpenFiles (${imMaxOpenFiles}) in ` +
      `lib/node-tuning.ts`,
  );
}

/** Erlang distribution port in the cluster: fixed, so NetworkPolicies can name it and no epmd runs. */
export const erlangDistPort = 4370;

export interface EjabberdctlSpec {
  /**
   * Port this node's Erlang distribution listens on; every node of one cluster uses the same one, and no epmd runs.
   * @default - epmd assigns the port (only for several nodes on one host, as in the local cluster test)
   */
  distPort?: number;
  /** Address the distribution listens on. @default - all interfaces */
  distInterface?: string;
  /** PID file ejabberdctl writes. */
  pidPath: string;
  /** VM limits. */
  limits: ErlangLimits;
}

/**
 * ejabberdctl.cfg (a shell fragment). Passing it with --ctl-config also
 * keeps the Debian package's /etc/ejabberd/ejabberdctl.cfg, which resets
 * the config path, from being read.
 */
export function renderEjabberdctlConfig(spec: EjabberdctlSpec): string {
  const lines = [
    "# Rendered by warbler (charts/im/erlang-tuning.ts). Do not edit.",
    // With ERL_DIST_PORT set, ejabberdctl starts no epmd: nothing listens on 4369.
    ...(spec.distPort === undefined ? [] : [`ERL_DIST_PORT=${spec.distPort}`]),
    ...(spec.distInterface ? [`INET_DIST_INTERFACE=${spec.distInterface}`] : []),
    "POLL=true",
    `ERL_PROCESSES=${spec.limits.processes}`,
    `ERL_MAX_PORTS=${spec.limits.ports}`,
    `ERL_MAX_ETS_TABLES=${spec.limits.etsTables}`,
    'ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"',
    `EJABBERD_PID_PATH=${spec.pidPath}`,
  ];
  return `${lines.join("\n")}\n`;
}
