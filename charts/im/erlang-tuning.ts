import type { ErlangLimits } from "../../lib/im-sizing";

/**
 * The ejabberdctl.cfg that sets an ejabberd node's Erlang VM limits. lib/im-sizing.ts derives the limits from the
 * sessions one node holds (docs/capacity.md): one Erlang process and one port (socket) per session, plus headroom
 * for the node's own processes, database connections and cluster links.
 */
export { type ErlangLimits, erlangLimits } from "../../lib/im-sizing";

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
    // A full sweep at every collection: an idle session's process then keeps no old heap, which halved memory per
    // idle TLS session (docs/memory-per-session.md).
    'ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0 -env ERL_FULLSWEEP_AFTER 0"',
    `EJABBERD_PID_PATH=${spec.pidPath}`,
  ];
  return `${lines.join("\n")}\n`;
}
