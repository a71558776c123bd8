import { Document, Scalar } from "yaml";
import { ArgumentChecks, problemsMessage } from "../../lib/check";
import { cidrProblem } from "../../lib/cidr";

/**
 * The one renderer of ejabberd.yml. The chart (cluster profile) and
 * `warbler im local` (local profile) both call it, so what the end-to-end
 * tests run is what the cluster runs. Pure: no I/O, no clock, no randomness.
 *
 * Secrets never appear in the output. The config includes a separate YAML
 * file (a Kubernetes Secret, or a 0640 file locally) that defines them as
 * macros; `renderEjabberdSecrets` writes that file.
 */

/** `cluster`: Kubernetes, managed PostgreSQL over verified TLS, object storage. `local`: loopback, self-signed certificate, upload directory. */
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
  /** Source CIDRs from which /api accepts administrators (any other source is refused); the ingress applies the same list to /admin. */
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

/** Macro names in the rendered config, by secret. */
export const secretMacros: Record<keyof EjabberdSecrets, string> = {
  sqlPassword: "WARBLER_SQL_PASSWORD",
  turnSecret: "WARBLER_TURN_SECRET",
  s3AccessKeyId: "WARBLER_S3_ACCESS_KEY_ID",
  s3SecretAccessKey: "WARBLER_S3_SECRET_ACCESS_KEY",
};

export const defaultPorts: EjabberdPorts = { c2s: 5222, c2sTls: 5223, http: 5280 };
export const defaultMaxFileSize = 104_857_600;

/** TLS 1.2 and 1.3 only, forward-secret AEAD suites (Mozilla "intermediate"). */
export const tlsProtocolOptions = [
  "no_sslv2",
  "no_sslv3",
  "no_tlsv1",
  "no_tlsv1_1",
  "cipher_server_preference",
  "no_compression",
];
export const tlsCiphers =
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/** Commands an administrator may call on /api: everything except stopping or restarting the node. */
export const apiCommands = ["*", "!stop", "!restart", "!halt"];

/** Thrown for a spec that cannot make a working or safe config; lists every problem. */
export class EjabberdSpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problemsMessage(problems, "invalid ejabberd spec"));
    this.name = "EjabberdSpecError";
  }
}

/** Renders ejabberd.yml for ejabberd 23.01 and later. Throws EjabberdSpecError listing every problem. */
export function renderEjabberdConfig(spec: EjabberdSpec): string {
  const problems = validateSpec(spec);
  if (problems.length > 0) throw new EjabberdSpecError(problems);
  const ports = { ...defaultPorts, ...spec.ports };
  const ip = spec.listenAddress ?? (spec.profile === "cluster" ? "0.0.0.0" : "127.0.0.1");
  const macro = (key: keyof EjabberdSecrets) => atom(secretMacros[key]);

  const config = {
    hosts: [spec.domain],
    loglevel: atom(spec.logLevel ?? "info"),
    hide_sensitive_log_data: true,
    certfiles: [spec.certFile],
    // The included file may only define macros, so a leaked or edited Secret cannot switch other options.
    include_config_file: { [spec.secretsFile]: { allow_only: [atom("define_macro")] } },
    c2s_protocol_options: tlsProtocolOptions,
    c2s_ciphers: tlsCiphers,
    ...(spec.trustedProxies?.length ? { trusted_proxies: spec.trustedProxies } : {}),
    sql_type: atom("pgsql"),
    sql_server: spec.sql.host,
    sql_port: spec.sql.port,
    sql_database: spec.sql.database,
    sql_username: spec.sql.username,
    sql_password: macro("sqlPassword"),
    sql_pool_size: spec.sql.poolSize ?? 10,
    ...(spec.sql.caFile ? { sql_ssl: true, sql_ssl_verify: true, sql_ssl_cafile: spec.sql.caFile } : {}),
    // The tables come from pg.new.sql; ejabberd 23.01 cannot create or migrate them itself.
    new_sql_schema: true,
    default_db: atom("sql"),
    auth_method: [atom("sql")],
    auth_password_format: atom("scram"),
    acl: {
      admin: { user: spec.admins },
      admin_network: { ip: spec.adminCidrs },
      local: { user_regexp: "" },
    },
    access_rules: {
      local: { allow: atom("local") },
      c2s: { allow: atom("all") },
      // Both conditions in one rule must hold: an administrator, and from an allowed network.
      admin_from_network: { allow: [{ acl: atom("admin") }, { acl: atom("admin_network") }] },
      // The web admin matches this rule on the JID alone (23.01 passes it no address): its network allow-list is the ingress's.
      configure: { allow: atom("admin") },
      muc_create: { allow: atom("local") },
      pubsub_createnode: { allow: atom("local") },
    },
    api_permissions: {
      "administrators from allowed networks": {
        who: { access: atom("admin_from_network") },
        what: apiCommands,
      },
    },
    shaper: { normal: { rate: 3000, burst_size: 20000 }, fast: 100000 },
    shaper_rules: { max_user_sessions: 10, max_user_offline_messages: 5000, c2s_shaper: { normal: atom("all") } },
    listen: [
      {
        port: ports.c2s,
        ip,
        module: atom("ejabberd_c2s"),
        starttls_required: true,
        shaper: atom("c2s_shaper"),
        access: atom("c2s"),
        max_stanza_size: 262144,
        backlog: 1024,
      },
      {
        port: ports.c2sTls,
        ip,
        module: atom("ejabberd_c2s"),
        tls: true,
        shaper: atom("c2s_shaper"),
        access: atom("c2s"),
        max_stanza_size: 262144,
        backlog: 1024,
      },
      {
        port: ports.http,
        ip,
        module: atom("ejabberd_http"),
        // Login bursts overflow the default backlog of 5.
        backlog: 1024,
        request_handlers: {
          "/ws": atom("ejabberd_http_ws"),
          "/api": atom("mod_http_api"),
          "/admin": atom("ejabberd_web_admin"),
          ...(spec.uploads.kind === "directory" ? { "/upload": atom("mod_http_upload") } : {}),
        },
      },
    ],
    modules: renderModules(spec),
  };
  const doc = new Document(config);
  return `# Rendered by warbler (charts/im/ejabberd-config.ts), profile ${spec.profile}. Do not edit.\n${doc.toString({ defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 })}`;
}

function renderModules(spec: EjabberdSpec): Record<string, unknown> {
  const macro = (key: keyof EjabberdSecrets) => atom(secretMacros[key]);
  const uploads = spec.uploads;
  const maxFileSize = uploads.maxFileSize ?? defaultMaxFileSize;
  return {
    mod_adhoc: {},
    mod_admin_extra: {},
    mod_blocking: {},
    mod_caps: {},
    mod_carboncopy: {},
    mod_client_state: {},
    mod_disco: {},
    mod_http_api: {},
    mod_last: {},
    mod_mam: {
      db_type: atom("sql"),
      assume_mam_usage: true,
      // Archive every one-to-one message unless the user opts out: history on every device.
      default: atom("always"),
    },
    mod_muc: {
      host: "conference.@HOST@",
      access: atom("all"),
      access_create: atom("muc_create"),
      access_persistent: atom("muc_create"),
      access_admin: atom("admin"),
      default_room_options: { mam: true, persistent: true },
    },
    mod_offline: { access_max_user_messages: atom("max_user_offline_messages") },
    mod_ping: {},
    mod_privacy: {},
    mod_private: {},
    // PEP (avatars, bookmarks, OMEMO keys) for modern clients; nodes only for local users.
    mod_pubsub: {
      access_createnode: atom("pubsub_createnode"),
      plugins: [atom("flat"), atom("pep")],
      force_node_config: { "storage:bookmarks": { access_model: atom("whitelist") } },
    },
    mod_push: {},
    mod_push_keepalive: {},
    // "none" refuses every in-band account creation; administrators create accounts with /api register.
    mod_register: { access: atom(spec.openRegistration ? "all" : "none") },
    mod_roster: { versioning: true },
    mod_stream_mgmt: { resend_on_timeout: atom("if_offline") },
    mod_stun_disco: spec.turn
      ? {
          credentials_lifetime: "12h",
          secret: macro("turnSecret"),
          services: [
            {
              host: spec.turn.host,
              port: spec.turn.port ?? 3478,
              type: atom("turn"),
              transport: atom(spec.turn.transport ?? "udp"),
              restricted: true,
            },
          ],
        }
      : {},
    mod_vcard: { search: false },
    mod_version: { show_os: false },
    ...(uploads.kind === "directory"
      ? {
          mod_http_upload: {
            put_url: `${uploads.baseUrl}/upload`,
            get_url: `${uploads.baseUrl}/upload`,
            docroot: uploads.directory,
            max_size: maxFileSize,
            custom_headers: { "X-Content-Type-Options": "nosniff" },
          },
        }
      : {
          mod_s3_upload: {
            bucket_url: uploads.bucketUrl,
            ...(uploads.downloadUrl ? { download_url: uploads.downloadUrl } : {}),
            region: uploads.region,
            access_key_id: macro("s3AccessKeyId"),
            access_key_secret: macro("s3SecretAccessKey"),
            // The bucket blocks public ACLs; downloads go through the gateway.
            set_public: false,
            max_size: maxFileSize,
          },
        }),
  };
}

/**
 * The include file that defines the secret macros. Write it with mode 0640
 * (root:ejabberd locally; a Secret volume in the cluster). Throws when a
 * secret the spec needs is missing.
 */
export function renderEjabberdSecrets(spec: Pick<EjabberdSpec, "turn" | "uploads">, secrets: EjabberdSecrets): string {
  // A problem is recorded only for a secret that is empty or missing, so no secret value reaches the message.
  const check = new ArgumentChecks();
  const login = "must not be empty; the database login needs it";
  check.require(!!secrets.sqlPassword, "sqlPassword", secrets.sqlPassword, login);
  const shared = "is required: 'turn' is set, so ejabberd and the TURN server need a shared secret";
  if (spec.turn) check.require(!!secrets.turnSecret, "turnSecret", secrets.turnSecret, shared);
  if (spec.uploads.kind === "s3") {
    for (const key of ["s3AccessKeyId", "s3SecretAccessKey"] as const) {
      check.require(!!secrets[key], key, secrets[key], 'is required for uploads.kind "s3"');
    }
  }
  if (check.problems.length > 0) throw new EjabberdSpecError(check.problems);
  const macros = Object.fromEntries(
    (Object.keys(secretMacros) as (keyof EjabberdSecrets)[])
      .filter((k) => secrets[k] !== undefined)
      .map((k) => [secretMacros[k], secrets[k]]),
  );
  return new Document({ define_macro: macros }).toString({ defaultStringType: "QUOTE_DOUBLE", lineWidth: 0 });
}

function validateSpec(spec: EjabberdSpec): readonly string[] {
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

/** A plain (unquoted) YAML scalar: ejabberd reads it as an atom, and macros are only replaced in atoms. */
function atom(name: string): Scalar {
  const scalar = new Scalar(name);
  scalar.type = Scalar.PLAIN;
  return scalar;
}
