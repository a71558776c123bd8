import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { clusterScript } from "../charts/im/cluster-script";
import { renderEjabberdConfig, renderEjabberdSecrets } from "../charts/im/ejabberd-config";
import { erlangLimits, renderEjabberdctlConfig } from "../charts/im/erlang-tuning";
import { asUser, freePorts, groupAlive, lookupUser, run, stopGroup } from "../lib/host";
import type { PostgresLogin } from "../lib/local-postgres";
import { waitUntil } from "../lib/wait";
import { type ConfigTuning, findBeam } from "./ejabberd";

/**
 * Debian's ejabberd 23.01 driven by the chart's own cluster.sh (charts/im/cluster-script.ts), laid out like the
 * pod: the config and the script rendered by the chart's renderers, the cookie as a Secret-like 0440 file, HOME on
 * a directory of its own, and the certificate behind kubelet's `..data` symlink, so a renewal is the same atomic
 * symlink swap kubelet makes. For the end-to-end tests of membership and certificate reload, and the cluster scenario
 * of `npm run bench:im`.
 */

export interface ClusterNodeOptions {
  /** Directory of this node; removed by the caller. */
  dir: string;
  /** Ordinal in the set: the node is `warbler-<ordinal>@localhost`. */
  ordinal: number;
  /** Nodes in the set, as the StatefulSet's replicas. */
  replicas: number;
  /** Same for every node of one cluster. */
  cookie: string;
  /** Port of the epmd every node of the test registers with (loopback only). */
  epmdPort: number;
  database: PostgresLogin;
  /** Seconds between certificate checks and between membership checks. */
  checkPeriod: number;
  healPeriod: number;
  /** Sessions to size the VM's limits for. @default 100 */
  sessions?: number;
  /** Edits of the rendered configuration (scripts/bench-im/levers.ts). @default - none */
  tune?: ConfigTuning;
}

export interface ClusterNode {
  node: string;
  /** HOME of the node, where cluster.sh installs the Erlang cookie. */
  home: string;
  ports: { c2s: number; c2sTls: number; http: number };
  /** Runs ejabberdctl against this node, as the pod's probes and hooks do. */
  ctl(args: string[]): Promise<string>;
  /** Running members (list_cluster), sorted. */
  members(): Promise<string[]>;
  /** Whether cluster.sh's readiness check passes. */
  ready(): Promise<boolean>;
  /** PID of the node's Erlang VM. */
  beamPid(): number | undefined;
  /** Replaces the certificate as kubelet does for a renewed Secret: a new data directory, then a symlink swap. */
  renewCertificate(): Promise<string>;
  /** The certificate now served, as PEM. */
  certificatePem(): string;
  /** The lines cluster.sh itself printed. */
  output(): string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export const nodeName = (ordinal: number) => `warbler-${ordinal}@localhost`;

/** epmd on loopback, for nodes that share this host (the pods' fixed ERL_DIST_PORT cannot serve two nodes here). */
export async function startEpmd(): Promise<{ port: number; stop(): Promise<void> }> {
  const [port] = await freePorts(1);
  const child = spawn("epmd", ["-port", String(port), "-address", "127.0.0.1"], { detached: true, stdio: "ignore" });
  await waitUntil(
    async () => {
      try {
        await run("epmd", ["-names"], { env: { ...process.env, ERL_EPMD_PORT: String(port) }, timeoutMs: 2000 });
        return true;
      } catch {
        return false;
      }
    },
    { what: `epmd to listen on 127.0.0.1:${port}`, timeoutMs: 10_000 },
  );
  return { port, stop: () => stopGroup(child.pid!, "SIGTERM", 5000) };
}

export async function startClusterNode(options: ClusterNodeOptions): Promise<ClusterNode> {
  const ejabberd = lookupUser("ejabberd");
  const { dir } = options;
  const node = nodeName(options.ordinal);
  const [c2s, c2sTls, http] = await freePorts(3);
  const ports = { c2s, c2sTls, http };
  const path = (name: string) => join(dir, name);
  const ownedBy = (p: string, uid: number, mode: number) => {
    chownSync(p, uid, ejabberd.gid);
    chmodSync(p, mode);
  };
  // A new pod gets new volumes: nothing of an earlier start (Mnesia, cookie copy, certificate) is kept.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const d of ["conf", "tls", "cookie", "admins"]) {
    mkdirSync(path(d), { recursive: true });
    ownedBy(path(d), 0, 0o750);
  }
  for (const d of ["spool", "logs", "home"]) {
    mkdirSync(path(d), { recursive: true });
    ownedBy(path(d), ejabberd.uid, 0o750);
  }
  // Read-only files as Secret volumes deliver them: root-owned, 0440, the group the pod's fsGroup.
  const secretFile = (file: string, text: string) => {
    writeFileSync(file, text);
    ownedBy(file, 0, 0o440);
    return file;
  };
  const certFile = join(path("tls"), "tls-combined.pem");
  const renewCertificate = async () => {
    const data = join(path("tls"), `..${Date.now()}_${randomBytes(3).toString("hex")}`);
    mkdirSync(data);
    ownedBy(data, 0, 0o750);
    const pem = await selfSigned(data);
    secretFile(join(data, "tls-combined.pem"), pem.combined);
    const link = join(path("tls"), "..data");
    const temp = join(path("tls"), "..data_tmp");
    symlinkSync(data.slice(data.lastIndexOf("/") + 1), temp);
    renameSync(temp, link);
    return pem.certificate;
  };
  await renewCertificate();
  symlinkSync("..data/tls-combined.pem", certFile);

  const spec = {
    profile: "local" as const,
    domain: "localhost",
    ports,
    certFile,
    secretsFile: path("conf/secrets.yml"),
    sql: {
      host: options.database.host,
      port: options.database.port,
      database: options.database.database,
      username: options.database.user,
    },
    admins: ["admin@localhost"],
    adminCidrs: ["127.0.0.1/32"],
    uploads: { baseUrl: `http://127.0.0.1:${http}/no-upload-service` },
  };
  const secrets = { sqlPassword: options.database.password, uploadSecret: randomBytes(16).toString("hex") };
  secretFile(spec.secretsFile, renderEjabberdSecrets(spec, secrets));
  const tune = { ejabberdYml: (t: string) => t, ejabberdctlCfg: (t: string) => t, ...options.tune };
  const config = secretFile(path("conf/ejabberd.yml"), tune.ejabberdYml(renderEjabberdConfig(spec)));
  const ctlConfig = secretFile(
    path("conf/ejabberdctl.cfg"),
    tune.ejabberdctlCfg(
      renderEjabberdctlConfig({ pidPath: path("spool/ejabberd.pid"), limits: erlangLimits(options.sessions ?? 100) }),
    ),
  );
  const script = secretFile(path("conf/cluster.sh"), clusterScript(c2s));
  const cookieFile = secretFile(path("cookie/cookie"), options.cookie);
  // No administrator files: registering them costs two ejabberdctl calls per start and is not under test here.

  const env: NodeJS.ProcessEnv = {
    PATH: `/usr/sbin:/usr/bin:/sbin:/bin`,
    LANG: "C.UTF-8",
    HOME: path("home"),
    ERL_EPMD_PORT: String(options.epmdPort),
    // Distribution on loopback only. Set here rather than as INET_DIST_INTERFACE in ejabberdctl.cfg, which makes
    // every ejabberdctl call boot one more VM to parse the address.
    ERL_AFLAGS: "-kernel inet_dist_use_interface {127,0,0,1}",
    POD_NAME: `warbler-${options.ordinal}`,
    ERLANG_NODE_ARG: node,
    PEER_NODE_PREFIX: "warbler-",
    PEER_NODE_SUFFIX: "@localhost",
    ERLANG_COOKIE_FILE: cookieFile,
    REPLICAS: String(options.replicas),
    EJABBERD_CONFIG: config,
    EJABBERDCTL_CONFIG: ctlConfig,
    EJABBERD_SPOOL: path("spool"),
    EJABBERD_LOGS: path("logs"),
    CERT_FILE: certFile,
    XMPP_DOMAIN: "localhost",
    ADMINS_DIR: path("admins"),
    CHECK_PERIOD: String(options.checkPeriod),
    HEAL_PERIOD: String(options.healPeriod),
  };
  const [setpriv, ...asEjabberd] = asUser("ejabberd");
  const child: ChildProcess = spawn(setpriv, [...asEjabberd, "sh", script, "start"], {
    env,
    cwd: path("home"),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Only the script's own lines: ejabberd's log (foreground) would crowd them out.
  let output = "";
  const keep = (chunk: Buffer) => {
    const lines = chunk
      .toString()
      .split("\n")
      .filter((l) => l.startsWith("cluster.sh:"));
    if (lines.length > 0) output += `${lines.join("\n")}\n`;
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const pgid = child.pid!;

  const ctl = (args: string[]) =>
    run(
      setpriv,
      [
        ...asEjabberd,
        "ejabberdctl",
        ...["--config", config, "--ctl-config", ctlConfig, "--spool", path("spool"), "--logs", path("logs")],
        ...["--node", node, ...args],
      ],
      { env, cwd: path("home"), timeoutMs: 30_000 },
    );
  const ready = async () => {
    try {
      await run(setpriv, [...asEjabberd, "sh", script, "ready"], { env, timeoutMs: 5000 });
      return true;
    } catch {
      return false;
    }
  };
  const members = async () =>
    (await ctl(["list_cluster"]))
      .replace(/['"]/g, "")
      .split(/\s+/)
      .filter((s) => s !== "")
      .sort();
  return {
    node,
    home: path("home"),
    ports,
    ctl,
    members,
    ready,
    beamPid: () => findBeam(pgid),
    renewCertificate,
    certificatePem: () => readFileSync(certFile, "utf8"),
    output: () => output,
    kill: () => stopGroup(pgid, "SIGKILL", 5000),
    stop: async () => {
      if (groupAlive(pgid)) await stopGroup(pgid, "SIGTERM", 15_000);
    },
  };
}

async function selfSigned(dir: string): Promise<{ certificate: string; combined: string }> {
  const key = join(dir, "key.tmp");
  const cert = join(dir, "cert.tmp");
  await run("openssl", [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"],
    ...["-subj", `/CN=localhost/O=warbler-${randomBytes(4).toString("hex")}`],
    ...["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
  ]);
  const certificate = readFileSync(cert, "utf8");
  const combined = certificate + readFileSync(key, "utf8");
  rmSync(key);
  rmSync(cert);
  return { certificate, combined };
}
