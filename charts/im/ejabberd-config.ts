import { Document, Scalar } from "yaml";
import { xmppKeepalive } from "../../config/im";
import { ArgumentChecks } from "../../lib/check";
import { debianRelease, sqlSchemaOptions } from "./ejabberd-releases";
import {
  defaultMaxFileSize,
  defaultPorts,
  type EjabberdSecrets,
  type EjabberdSpec,
  EjabberdSpecError,
  validateSpec,
} from "./ejabberd-spec";

/**
 * The one renderer of ejabberd.yml. The chart (cluster profile) and
 * `warbler im local` (local profile) both call it, so what the end-to-end
 * tests run is what the cluster runs. Pure: no I/O, no clock, no randomness.
 *
 * Secrets never appear in the output. The config includes a separate YAML
 * file (a Kubernetes Secret, or a 0640 file locally) that defines them as
 * macros; `renderEjabberdSecrets` writes that file.
 */

// The spec's names stay importable from here, beside the renderer that takes it.
export type {
  EjabberdGatewayListener,
  EjabberdPorts,
  EjabberdProfile,
  EjabberdSecrets,
  EjabberdSpec,
  EjabberdSql,
  EjabberdSqlTlsProxy,
  EjabberdTurn,
  EjabberdUploads,
} from "./ejabberd-spec";
export { defaultMaxFileSize, defaultPorts, EjabberdSpecError } from "./ejabberd-spec";

/** Macro names in the rendered config, by secret. */
export const secretMacros: Record<keyof EjabberdSecrets, string> = {
  sqlPassword: "WARBLER_SQL_PASSWORD",
  turnSecret: "WARBLER_TURN_SECRET",
  uploadSecret: "WARBLER_UPLOAD_SECRET",
};

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
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" +
  "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" +
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/** Commands an administrator may call on /api: everything except stopping or restarting the node. */
export const apiCommands = ["*", "!stop", "!restart", "!halt"];

/** Renders ejabberd.yml for ejabberd 23.01 and later. Throws EjabberdSpecError listing every problem. */
export function renderEjabberdConfig(spec: EjabberdSpec): string {
  const problems = validateSpec(spec);
  if (problems.length > 0) throw new EjabberdSpecError(problems);
  const ports = { ...defaultPorts, ...spec.ports };
  const ip = spec.listenAddress ?? (spec.profile === "cluster" ? "0.0.0.0" : "127.0.0.1");
  const macro = (key: keyof EjabberdSecrets) => atom(secretMacros[key]);
  const clientProxy = spec.clientProxyProtocol ? { use_proxy_protocol: true } : {};
  // A fresh map per listener: a shared one would be written as a YAML alias, which ejabberd reads as a string.
  const httpHandlers = () => ({
    "/ws": atom("ejabberd_http_ws"),
    "/api": atom("mod_http_api"),
    "/admin": atom("ejabberd_web_admin"),
  });

  const config = {
    hosts: [spec.domain],
    loglevel: atom(spec.logLevel ?? "info"),
    hide_sensitive_log_data: true,
    certfiles: [spec.certFile],
    // The included file may only define macros, so a leaked or edited Secret cannot switch other options.
    include_config_file: { [spec.secretsFile]: { allow_only: [atom("define_macro")] } },
    c2s_protocol_options: tlsProtocolOptions,
    c2s_ciphers: tlsCiphers,
    // No trusted_proxies: ejabberd believes no X-Forwarded-For. /api's network check sees the connecting address, or
    // on a `use_proxy_protocol` listener the address of the PROXY header, which only the Gateway can send.
    ...(spec.push ? { s2s_use_starttls: atom("required") } : {}),
    sql_type: atom("pgsql"),
    // Through the TLS proxy, ejabberd connects to it on loopback in plain PostgreSQL (sql_ssl false: the proxy, not
    // ejabberd, does TLS and checks the host name, which ejabberd cannot, processone/ejabberd#4180).
    sql_server: spec.sql.tlsProxy ? "127.0.0.1" : spec.sql.host,
    sql_port: spec.sql.tlsProxy?.port ?? spec.sql.port,
    ...(spec.sql.tlsProxy ? { sql_ssl: false } : {}),
    sql_database: spec.sql.database,
    sql_username: spec.sql.username,
    sql_password: macro("sqlPassword"),
    sql_pool_size: spec.sql.poolSize ?? 10,
    // The multi-host schema (pg.new.sql), named as the release names it. Where update_sql_schema exists it is false:
    // the login role has data rights only, and the schema Job loads and upgrades the tables.
    ...sqlSchemaOptions(spec.release ?? debianRelease),
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
      // The web admin matches this rule on the JID alone (23.01 passes it no address): its network allow-list is the
      // Gateway's SecurityPolicy.
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
        ...clientProxy,
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
        ...clientProxy,
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
        request_handlers: httpHandlers(),
      },
      ...(spec.gateway
        ? [
            {
              port: spec.gateway.port,
              ip,
              module: atom("ejabberd_http"),
              // Every connection starts with the Gateway's PROXY v2 header; one without it is closed.
              use_proxy_protocol: true,
              backlog: 1024,
              request_handlers: httpHandlers(),
            },
          ]
        : []),
    ],
    modules: renderModules(spec),
  };
  const doc = new Document(config);
  return (
    `# Rendered by warbler (charts/im/ejabberd-config.ts), profile ${spec.profile}. Do not ` +
    `edit.\n${doc.toString({ defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 })}`
  );
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
    // Dead mobile sessions must not linger: ping a client after 60 s without traffic (ejabberd's default interval;
    // cheap next to the XMPP traffic of an active client) and close its session if it has not answered 32 s later,
    // time for a phone's radio to wake from dormancy on a slow network. A closed session stays resumable through
    // mod_stream_mgmt, so a client that was only asleep reconnects without losing messages. Options:
    // docs.ejabberd.im/admin/configuration/modules/#mod_ping; nothing is sent unless send_pings is true.
    mod_ping: {
      send_pings: true,
      ping_interval: xmppKeepalive.pingIntervalSeconds,
      ping_ack_timeout: xmppKeepalive.pingAckTimeoutSeconds,
      timeout_action: atom("kill"),
    },
    mod_privacy: {},
    mod_private: {},
    // PEP (avatars, bookmarks, OMEMO keys) for modern clients; nodes only for local users.
    mod_pubsub: {
      access_createnode: atom("pubsub_createnode"),
      plugins: [atom("flat"), atom("pep")],
      force_node_config: { "storage:bookmarks": { access_model: atom("whitelist") } },
    },
    // Push components are other servers: only with s2s egress (spec.push), else the modules would queue in vain.
    ...(spec.push ? { mod_push: {}, mod_push_keepalive: {} } : {}),
    // "none" refuses every in-band account creation; administrators create accounts with /api register.
    mod_register: { access: atom(spec.openRegistration ? "all" : "none") },
    mod_roster: { versioning: true },
    mod_stream_mgmt: { resend_on_timeout: atom("if_offline") },
    mod_stun_disco: spec.turn
      ? {
          credentials_lifetime: "12h",
          secret: macro("turnSecret"),
          services: turnServices(spec.turn),
        }
      : {},
    mod_vcard: { search: false },
    mod_version: { show_os: false },
    // Slots only: the upload service (charts/im/upload/) takes the PUT and serves the GET. put_url and get_url are
    // the same, so a shared link is the upload path without its token.
    mod_http_upload: {
      put_url: uploads.baseUrl,
      get_url: uploads.baseUrl,
      external_secret: macro("uploadSecret"),
      max_size: maxFileSize,
    },
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
  const slots = "must not be empty; upload slots are signed with it";
  check.require(!!secrets.uploadSecret, "uploadSecret", secrets.uploadSecret, slots);
  if (check.problems.length > 0) throw new EjabberdSpecError(check.problems);
  const macros = Object.fromEntries(
    (Object.keys(secretMacros) as (keyof EjabberdSecrets)[])
      .filter((k) => secrets[k] !== undefined)
      .map((k) => [secretMacros[k], secrets[k]]),
  );
  return new Document({ define_macro: macros }).toString({ defaultStringType: "QUOTE_DOUBLE", lineWidth: 0 });
}

/**
 * The XEP-0215 services mod_stun_disco announces: TURN over UDP, and over TCP and TLS (`turns`) when the server offers
 * them, so clients on networks that block UDP still relay. ejabberd 23.01's mod_stun_disco takes `type` turn or turns
 * and `transport` udp or tcp (docs.ejabberd.im, mod_stun_disco `services`; the atoms are in Debian's
 * mod_stun_disco_opt.beam).
 */
export function turnServices(turn: NonNullable<EjabberdSpec["turn"]>): Record<string, unknown>[] {
  const service = (host: string, port: number, type: string, transport: string) => ({
    host,
    port,
    type: atom(type),
    transport: atom(transport),
    restricted: true,
  });
  return [
    service(turn.host, turn.port ?? 3478, "turn", "udp"),
    ...(turn.tcpPort ? [service(turn.host, turn.tcpPort, "turn", "tcp")] : []),
    ...(turn.tls ? [service(turn.tls.host, turn.tls.port, "turns", "tcp")] : []),
  ];
}

/** A plain (unquoted) YAML scalar: ejabberd reads it as an atom, and macros are only replaced in atoms. */
function atom(name: string): Scalar {
  const scalar = new Scalar(name);
  scalar.type = Scalar.PLAIN;
  return scalar;
}
