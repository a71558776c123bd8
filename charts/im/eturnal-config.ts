import { Document } from "yaml";
import { ArgumentChecks } from "../../lib/check";

/**
 * The one renderer of eturnal.yml. Pure: no I/O, no clock, no randomness.
 *
 * Why a file and not only environment variables: the upstream image reads the
 * secret, the relay address and the relay range from `ETURNAL_*` variables, but
 * the listeners, TLS files and modules (the Prometheus endpoint among them) only
 * from eturnal.yml (eturnal's `doc/overview.edoc`, "Global Configuration" and
 * "Module Configuration"; processone/eturnal). The secret stays an environment
 * variable from a Secret (`ETURNAL_SECRET`, read when `secret` is absent:
 * `get_default(secret, ...)` in src/eturnal_yaml.erl), so this file holds none.
 */

/** Ranges a TURN relay must never reach: it would turn the relay into a door into the private network. */
export const privateRanges = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "127.0.0.0/8",
];

/** Paths inside the upstream image (user eturnal, uid 9000, home /opt/eturnal). */
export const eturnalPaths = {
  /** The image's default config path; mounting over /opt/eturnal/etc stops the container (CHANGELOG 1.9.1). */
  config: "/etc/eturnal.yml",
  /** Where eturnal's container docs mount TLS files (doc/CONTAINER.md, "Custom TLS certificates"). */
  tlsDir: "/opt/eturnal/tls",
  /** `run_dir` must be writable (`directory(write)`), and the root filesystem is read-only: an emptyDir. */
  runDir: "/opt/eturnal/run",
  /**
   * The release's own log directory (the image creates it), writable as under Docker, where the image's
   * `VOLUME /opt/eturnal` stays writable beside `--read-only`; Kubernetes ignores VOLUME. eturnal logs to stdout.
   */
  logDir: "/opt/eturnal/log",
} as const;

export interface EturnalSpec {
  /** Public IPv4 address announced for relayed media (the TURN load balancer's). @default - eturnal detects it */
  relayIpv4?: string;
  /** First and last UDP relay port. */
  relayPorts: readonly [number, number];
  /** Authentication realm. */
  realm: string;
  /** STUN/TURN over UDP. */
  udpPort: number;
  /**
   * TURN over TCP, and over TLS on the same port when `tls` is set (`transport: auto`, eturnal 1.6.0 and later:
   * "accepting unencrypted TCP and TLS connections on the same port").
   */
  streamPort: number;
  /** Certificate chain and key (PEM) for TURN over TLS. @default - plain TCP only */
  tls?: { certFile: string; keyFile: string };
  /** Port of mod_stats_prometheus's /metrics endpoint. */
  metricsPort: number;
  /** Log verbosity. @default "info" */
  logLevel?: "critical" | "error" | "warning" | "notice" | "info" | "debug";
}

/** Renders eturnal.yml for eturnal 1.12. Throws listing every bad field, its value and what is allowed. */
export function renderEturnalConfig(spec: EturnalSpec): string {
  const check = new ArgumentChecks("invalid eturnal spec");
  const [first, last] = spec.relayPorts;
  const portOk = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
  check.require(
    portOk(first) && portOk(last) && first >= 1024 && last >= first,
    "relayPorts",
    spec.relayPorts,
    "must be a first and last port between 1024 and 65535, first not above last",
  );
  for (const key of ["udpPort", "streamPort", "metricsPort"] as const)
    check.require(portOk(spec[key]), key, spec[key], "must be an integer from 1 to 65535");
  check.require(
    new Set([spec.streamPort, spec.metricsPort]).size === 2,
    "metricsPort",
    spec.metricsPort,
    "must differ from streamPort: both are TCP listeners",
  );
  // Not checked as a dotted quad: in the Kubernetes layer it is a placeholder for the kit's address Output until
  // deploy time (components/kubernetes/deferred.ts); eturnal itself refuses a bad address at start.
  if (spec.relayIpv4 !== undefined)
    check.require(/^\S+$/.test(spec.relayIpv4), "relayIpv4", spec.relayIpv4, "must be an IPv4 address, one word");
  check.require(spec.realm.length > 0, "realm", spec.realm, "must not be empty");
  check.throwIfAny(Error);

  // IPv4 sockets: pods may have no IPv6 at all, and only an IPv4 relay address is announced.
  const any = "0.0.0.0";
  const config = {
    eturnal: {
      listen: [
        { ip: any, port: spec.udpPort, transport: "udp" },
        { ip: any, port: spec.streamPort, transport: spec.tls ? "auto" : "tcp" },
      ],
      ...(spec.relayIpv4 ? { relay_ipv4_addr: spec.relayIpv4 } : {}),
      relay_min_port: first,
      relay_max_port: last,
      realm: spec.realm,
      ...(spec.tls ? { tls_crt_file: spec.tls.certFile, tls_key_file: spec.tls.keyFile } : {}),
      // "recommended" (the 1.12 default) blocks loopback, private, link-local and other special ranges as peers;
      // naming the same private ranges the NetworkPolicy excludes keeps both layers in step.
      blacklist_peers: ["recommended", ...privateRanges],
      run_dir: eturnalPaths.runDir,
      log_dir: "stdout",
      log_level: spec.logLevel ?? "info",
      modules: {
        mod_log_stun: {},
        // Options from eturnal's example config (config/eturnal.yml, 1.10+): ip, port, tls, vm_metrics.
        mod_stats_prometheus: { ip: any, port: spec.metricsPort, tls: false, vm_metrics: true },
      },
    },
  };
  return (
    "# Rendered by warbler (charts/im/eturnal-config.ts). Do not edit. The secret is ETURNAL_SECRET.\n" +
    new Document(config).toString({ lineWidth: 0 })
  );
}
