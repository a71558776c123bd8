import { ArgumentChecks, problemsMessage } from "../../lib/check";
import { cidrProblem } from "../../lib/cidr";

/**
 * What `renderEjabberdConfig` takes: the spec's shape, its defaults, and the
 * checks that reject a spec which cannot make a working or safe config.
 * Pure: no I/O, no clock, no randomness.
 */

/**
 * `cluster`: Kubernetes, managed PostgreSQL over verified TLS, object storage. `local`: loopback, self-signed
 * certificate, upload directory.
 */
export type EjabberdProfile = "cluster" | "local";

export interface EjabberdPorts {
  /** Client connections with STARTTLS, which is required. @default 5222 */
  c2s: number;
  /** Client connections with direct TLS (XEP-0368). @default 5223 */
  c2sTls: number;
  /** Plain HTTP: /ws, /upload, /api, /admin (TLS ends at the ingress in the cluster). @default 5280 */
  http: number;
}

export interface EjabberdSql {
  /** PostgreSQL host name (the managed server's private endpoint in the cluster). */
  host: string;
  /** PostgreSQL port. */
  port: number;
  /** Database that holds the ejabberd schema (pg.new.sql). */
  database: string;
  /** Login role; its password is the `sqlPassword` secret. */
  username: string;
  /**
   * PEM bundle of the CAs that sign the server certificate; turns on TLS with
   * certificate verification. Required in the cluster profile.
   * @default - no TLS (local profile only)
   */
  caFile?: string;
  /** Connections per ejabberd node. @default 10 */
  poolSize?: number;
}

/** A local directory stands in for the bucket (ejabberd's own mod_http_upload). */
export interface DirectoryUploads {
  kind: "directory";
  /** Directory the files are written to; must be writable by ejabberd. */
  directory: string;
  /** Base URL clients PUT and GET to; its host must be exactly the one clients use. */
  baseUrl: string;
  /** Largest accepted file, in bytes. @default 104857600 */
  maxFileSize?: number;
}

/**
 * Files go to the kit's bucket through an S3 API (ejabberd-contrib
 * mod_s3_upload): S3 and OSS directly, Azure Blob through the S3 gateway.
 * ejabberd signs PUT URLs with the `s3AccessKeyId`/`s3SecretAccessKey` secrets.
 */
export interface S3Uploads {
  kind: "s3";
  /** URL of the bucket as clients reach it for the signed PUT (path style, no trailing slash). */
  bucketUrl: string;
  /** Base URL clients GET files from. @default - the bucket URL */
  downloadUrl?: string;
  /** Region the signature is scoped to. */
  region: string;
  /** Largest accepted file, in bytes. @default 104857600 */
  maxFileSize?: number;
}

export type EjabberdUploads = DirectoryUploads | S3Uploads;

/** A TURN server announced to clients (XEP-0215) with time-limited credentials derived from the `turnSecret` secret. */
export interface EjabberdTurn {
  /** Public host name or address of the TURN load balancer. */
  host: string;
  /** TURN port. @default 3478 */
  port?: number;
  /** Transport of the TURN listener. @default "udp" */
  transport?: "udp" | "tcp";
  /** Realm the TURN server authenticates in (eturnal/coturn `realm`). @default - the domain */
  realm?: string;
}

export interface EjabberdSpec {
  /** Which deployment the config is for. */
  profile: EjabberdProfile;
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
   * Source CIDRs from which /api accepts administrators (any other source is refused); the ingress applies the same
   * list to /admin.
   */
  adminCidrs: string[];
  /**
   * Proxies whose X-Forwarded-For ejabberd believes (the ingress controller's
   * pods), so `adminCidrs` applies to the real client address.
   * @default [] - the connecting address is the source
   */
  trustedProxies?: string[];
  /** Where uploaded files (XEP-0363) are stored. */
  uploads: EjabberdUploads;
  /** TURN server for voice and video. @default - none announced */
  turn?: EjabberdTurn;
  /** Let anyone create an account in-band (XEP-0077); otherwise only administrators create accounts. @default false */
  openRegistration?: boolean;
  /** Log verbosity. @default "info" */
  logLevel?: "critical" | "error" | "warning" | "info" | "debug";
}

/** Values of the secret macros; the renderer only names them. */
export interface EjabberdSecrets {
  /** Password of `sql.username`. */
  sqlPassword: string;
  /** Shared with the TURN server (`static-auth-secret` in coturn, `secret` in eturnal); needed when `turn` is set. */
  turnSecret?: string;
  /** S3 credentials ejabberd signs upload URLs with; needed for `uploads.kind: "s3"`. */
  s3AccessKeyId?: string;
  s3SecretAccessKey?: string;
}

export const defaultPorts: EjabberdPorts = { c2s: 5222, c2sTls: 5223, http: 5280 };
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
  if (spec.profile === "cluster" && !spec.sql.caFile) {
    add(
      "sql.caFile",
      spec.sql.caFile,
      "is required in the cluster profile: the database connection must be TLS with a verified certificate",
    );
  }
  if (!Number.isInteger(spec.sql.port) || spec.sql.port < 1 || spec.sql.port > 65535)
    add("sql.port", spec.sql.port, "must be an integer from 1 to 65535");
  if (spec.admins.length === 0) add("admins", spec.admins, "must name at least one administrator JID");
  spec.admins.forEach((jid, i) => {
    const local = jid.slice(0, -`@${spec.domain}`.length);
    if (!jid.endsWith(`@${spec.domain}`) || !/^[^@/\s"&'<>:]+$/.test(local))
      add(`admins[${i}]`, jid, `must be a bare JID on the domain, such as admin@${spec.domain}`);
  });
  if (spec.adminCidrs.length === 0)
    add("adminCidrs", spec.adminCidrs, "must allow at least one network, such as an office range or 127.0.0.1/32");
  [
    ...spec.adminCidrs.map((c, i) => [`adminCidrs[${i}]`, c]),
    ...(spec.trustedProxies ?? []).map((c, i) => [`trustedProxies[${i}]`, c]),
  ].forEach(([key, c]) => {
    const problem = cidrProblem(c);
    if (problem) add(key, c, problem);
    else if (c === "0.0.0.0/0")
      add(key, c, "must not be the whole Internet; /api and /admin are for allow-listed networks only");
  });
  const url = spec.uploads.kind === "directory" ? spec.uploads.baseUrl : spec.uploads.bucketUrl;
  const urlKey = spec.uploads.kind === "directory" ? "uploads.baseUrl" : "uploads.bucketUrl";
  if (!/^https?:\/\/[^/\s]+(\/[^\s]*[^/\s])?$/.test(url))
    add(urlKey, url, "must be an http(s) URL without a trailing slash");
  if (spec.profile === "cluster" && spec.uploads.kind === "directory") {
    add(
      "uploads.kind",
      "directory",
      'is for the local profile; in the cluster files must land in the encrypted bucket (kind "s3")',
    );
  }
  const max = spec.uploads.maxFileSize;
  if (max !== undefined && (!Number.isInteger(max) || max < 1))
    add("uploads.maxFileSize", max, "must be a positive number of bytes");
  return check.problems;
}
