import { ArgumentChecks, problemsMessage } from "../../lib/check";
import { cidrProblem } from "../../lib/cidr";
import { debianRelease, oldestRelease, supportedRelease } from "./ejabberd-releases";

/**
 * What `renderEjabberdConfig` takes: the spec's shape, its defaults, and the
 * checks that reject a spec which cannot make a working or safe config.
 * Pure: no I/O, no clock, no randomness.
 */

/**
 * `cluster`: Kubernetes, managed PostgreSQL over verified TLS (through the sql-tls-proxy sidecar), object storage.
 * `local`: loopback, self-signed certificate, a private PostgreSQL, a local object store.
 */
export type EjabberdProfile = "cluster" | "local";

export interface EjabberdPorts {
  /** Client connections with STARTTLS, which is required. @default 5222 */
  c2s: number;
  /** Client connections with direct TLS (XEP-0368). @default 5223 */
  c2sTls: number;
  /**
   * Plain HTTP: /ws, /api, /admin without a PROXY header, for loopback (the exporter, kubectl port-forward) and the
   * kubelet's TCP probe; the Gateway uses `gateway.port`. @default 5280
   */
  http: number;
}

export interface EjabberdSql {
  /** PostgreSQL host name (the managed server's private endpoint in the cluster), as its certificate names it. */
  host: string;
  /** PostgreSQL port. */
  port: number;
  /** Database that holds the ejabberd schema (pg.new.sql). */
  database: string;
  /** Login role; its password is the `sqlPassword` secret. */
  username: string;
  /**
   * Reach `host` through the sql-tls-proxy sidecar (charts/im/sql-tls-proxy/), which makes the connection TLS and
   * verifies the certificate's chain and host name: ejabberd itself cannot check the host name (it checks the peer's
   * address, processone/ejabberd#4180), so ejabberd speaks plain PostgreSQL to the proxy on 127.0.0.1 in its own pod.
   * Required in the cluster profile; without it the connection is plaintext, which only a loopback `host` may take.
   * @default - none: a direct plaintext connection (local profile, loopback only)
   */
  tlsProxy?: EjabberdSqlTlsProxy;
  /** Connections per ejabberd node. @default 10 */
  poolSize?: number;
}

/** The sidecar ejabberd reaches the database through; it has no mode without verification. */
export interface EjabberdSqlTlsProxy {
  /** Loopback port the proxy listens on in ejabberd's pod; ejabberd.yml points `sql_server`/`sql_port` there. */
  port: number;
}

/**
 * Files go to Warbler's upload service (charts/im/upload/), in the cluster and
 * locally alike. ejabberd's own mod_http_upload only hands out slots: with
 * `external_secret` it signs each PUT URL with an HMAC of the `uploadSecret`
 * secret, which the service checks before it streams the body to the bucket.
 */
export interface EjabberdUploads {
  /** Base URL of the upload service as clients reach it; slots are `<baseUrl>/<owner>/<random>/<file>`. */
  baseUrl: string;
  /** Largest accepted file, in bytes; the service enforces the same limit. @default 104857600 */
  maxFileSize?: number;
}

/** A TURN server announced to clients (XEP-0215) with time-limited credentials derived from the `turnSecret` secret. */
export interface EjabberdTurn {
  /** Public host name or address of the TURN load balancer (TURN over UDP and TCP). */
  host: string;
  /** TURN over UDP. @default 3478 */
  port?: number;
  /** TURN over TCP on `host`, for networks that block UDP. @default - not announced */
  tcpPort?: number;
  /**
   * TURN over TLS (`turns`): a host name on the TURN server's certificate (clients check it, so not an address) and
   * its port. @default - not announced
   */
  tls?: { host: string; port: number };
  /** Realm the TURN server authenticates in (eturnal/coturn `realm`). @default - the domain */
  realm?: string;
}

export interface EjabberdSpec {
  /** Which deployment the config is for. */
  profile: EjabberdProfile;
  /**
   * The ejabberd release (YY.MM) the config is for: options differ between releases (ejabberd-releases.ts). Required
   * in the cluster profile, where it is the image's tag (`ejabberdRelease` in config/im.ts).
   * @default - "23.01" in the local profile (Debian 12's package)
   */
  release?: string;
  /** The XMPP domain: users' JIDs end in `@domain`. */
  domain: string;
  /** Address every listener binds to. @default - "0.0.0.0" in the cluster profile, "127.0.0.1" locally */
  listenAddress?: string;
  /** Listener ports. @default { c2s: 5222, c2sTls: 5223, http: 5280 } */
  ports?: Partial<EjabberdPorts>;
  /** PEM file holding the certificate chain and private key clients see on 5222/5223. */
  certFile: string;
  /** YAML file that defines the secret macros (see `renderEjabberdSecrets`); mode 0640, readable by ejabberd. */
  secretsFile: string;
  /** The PostgreSQL database holding accounts, rosters, offline messages, the archive and rooms. */
  sql: EjabberdSql;
  /** Bare JIDs of the administrators (on `domain`); the only accounts allowed on /api and /admin. */
  admins: string[];
  /**
   * Source addresses, as ejabberd sees them, from which /api accepts administrators (any other source is refused).
   * ejabberd believes no X-Forwarded-For header (no `trusted_proxies`: a header is only as true as the pod that sets
   * it), so this is the connecting address: loopback (port-forward, the exporter), and in the cluster the ranges the
   * ingress controller's pods come from, which a NetworkPolicy narrows to exactly those pods.
   */
  adminCidrs: string[];
  /** Where uploaded files (XEP-0363) are stored. */
  uploads: EjabberdUploads;
  /**
   * The HTTP listener the edge Gateway (Envoy) connects to: /ws, /api and /admin behind a PROXY protocol v2 header
   * on every connection (`use_proxy_protocol`), so `adminCidrs` is checked against the client's own address. A
   * connection without the header is closed. @default - no such listener
   */
  gateway?: EjabberdGatewayListener;
  /**
   * The client load balancer prepends a PROXY protocol v2 header on 5222 and 5223 (the kit's `clientAddress`
   * "proxy-v2"), so those listeners take it too. @default false - the client's address is the packets' source
   */
  clientProxyProtocol?: boolean;
  /** TURN server for voice and video. @default - none announced */
  turn?: EjabberdTurn;
  /**
   * Push notifications (XEP-0357, mod_push and mod_push_keepalive), delivered to push components over s2s with TLS
   * required. @default false - neither module; ejabberd opens no s2s connection for push
   */
  push?: boolean;
  /** Let anyone create an account in-band (XEP-0077); otherwise only administrators create accounts. @default false */
  openRegistration?: boolean;
  /** Log verbosity. @default "info" */
  logLevel?: "critical" | "error" | "warning" | "info" | "debug";
}

/** The listener behind the Gateway. */
export interface EjabberdGatewayListener {
  /** Its port; it must differ from the other listeners'. */
  port: number;
}

/** Values of the secret macros; the renderer only names them. */
export interface EjabberdSecrets {
  /** Password of `sql.username`. */
  sqlPassword: string;
  /** Shared with the TURN server (`static-auth-secret` in coturn, `secret` in eturnal); needed when `turn` is set. */
  turnSecret?: string;
  /** mod_http_upload's `external_secret`: the HMAC key of upload slots, shared with the upload service. */
  uploadSecret: string;
}

export const defaultPorts: EjabberdPorts = { c2s: 5222, c2sTls: 5223, http: 5280 };
/** Hosts a plaintext database connection may go to: the database or the TLS proxy on this machine or in this pod. */
export const loopbackHosts: readonly string[] = ["127.0.0.1", "localhost", "::1"];
export const defaultMaxFileSize = 104_857_600;

/** Thrown for a spec that cannot make a working or safe config; lists every problem. */
export class EjabberdSpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problemsMessage(problems, "invalid ejabberd spec"));
    this.name = "EjabberdSpecError";
  }
}
/** Every problem with `spec`, each naming its property path and the value received; empty when it is valid. */
export function validateSpec(spec: EjabberdSpec): readonly string[] {
  const check = new ArgumentChecks();
  const add = (key: string, value: unknown, allowed: string) => check.add(key, value, allowed);
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(spec.domain)) {
    add("domain", spec.domain, "must be a lowercase DNS name such as chat.example.com");
  }
  const ports = { ...defaultPorts, ...spec.ports };
  for (const [key, port] of Object.entries(ports)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      add(`ports.${key}`, port, "must be an integer from 1 to 65535");
  }
  if (new Set(Object.values(ports)).size !== 3) add("ports", ports, "must be three different ports");
  const gatewayPort = spec.gateway?.port;
  if (gatewayPort !== undefined && (!Number.isInteger(gatewayPort) || gatewayPort < 1 || gatewayPort > 65535))
    add("gateway.port", gatewayPort, "must be an integer from 1 to 65535");
  else if (gatewayPort !== undefined && Object.values(ports).includes(gatewayPort))
    add("gateway.port", gatewayPort, "must differ from ejabberd's other listener ports");
  const proxy = spec.sql.tlsProxy;
  if (spec.profile === "cluster" && !proxy)
    add(
      "sql.tlsProxy",
      proxy,
      "is required in the cluster profile: the database connection must be TLS with the host name verified, which " +
        "ejabberd cannot do itself (processone/ejabberd#4180), so it goes through the sql-tls-proxy sidecar",
    );
  if (!proxy && !loopbackHosts.includes(spec.sql.host))
    add("sql.host", spec.sql.host, "must be 127.0.0.1 or localhost without sql.tlsProxy: plaintext stays on loopback");
  for (const [key, port] of [
    ["sql.port", spec.sql.port],
    ["sql.tlsProxy.port", proxy?.port],
  ] as const) {
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
      add(key, port, "must be an integer from 1 to 65535");
  }
  if (proxy && Object.values(ports).includes(proxy.port))
    add("sql.tlsProxy.port", proxy.port, "must differ from ejabberd's own listener ports");
  if (spec.admins.length === 0) add("admins", spec.admins, "must name at least one administrator JID");
  spec.admins.forEach((jid, i) => {
    const local = jid.slice(0, -`@${spec.domain}`.length);
    if (!jid.endsWith(`@${spec.domain}`) || !/^[^@/\s"&'<>:]+$/.test(local))
      add(`admins[${i}]`, jid, `must be a bare JID on the domain, such as admin@${spec.domain}`);
  });
  if (spec.adminCidrs.length === 0)
    add("adminCidrs", spec.adminCidrs, "must allow at least one network, such as an office range or 127.0.0.1/32");
  [...spec.adminCidrs.map((c, i) => [`adminCidrs[${i}]`, c])].forEach(([key, c]) => {
    const problem = cidrProblem(c);
    if (problem) add(key, c, problem);
    else if (c === "0.0.0.0/0")
      add(key, c, "must not be the whole Internet; /api and /admin are for allow-listed networks only");
  });
  const turnTls = spec.turn?.tls;
  if (turnTls && (!/[a-z]/i.test(turnTls.host) || /[\s/:]/.test(turnTls.host)))
    add(
      "turn.tls.host",
      turnTls.host,
      "must be a host name (clients check it against the certificate), not an address",
    );
  for (const [key, port] of [
    ["turn.port", spec.turn?.port],
    ["turn.tcpPort", spec.turn?.tcpPort],
    ["turn.tls.port", turnTls?.port],
  ] as const) {
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
      add(key, port, "must be an integer from 1 to 65535");
  }
  const url = spec.uploads.baseUrl;
  if (!/^https?:\/\/[^/\s]+(\/[^\s]*[^/\s])?$/.test(url))
    add("uploads.baseUrl", url, "must be an http(s) URL without a trailing slash");
  if (spec.profile === "cluster" && !url.startsWith("https://"))
    add("uploads.baseUrl", url, "must be https in the cluster profile: clients send files and links over it");
  const max = spec.uploads.maxFileSize;
  if (max !== undefined && (!Number.isInteger(max) || max < 1))
    add("uploads.maxFileSize", max, "must be a positive number of bytes");
  if (spec.profile === "cluster" && spec.release === undefined)
    add("release", spec.release, "is required in the cluster profile: the release of the image's tag, such as 26.07");
  else if (!supportedRelease(spec.release ?? debianRelease))
    add("release", spec.release, `must be an ejabberd release as YY.MM, ${oldestRelease} or later`);
  return check.problems;
}
