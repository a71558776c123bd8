import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type EjabberdPorts, renderEjabberdConfig, renderEjabberdSecrets } from "../charts/im/ejabberd-config";
import { erlangLimits, renderEjabberdctlConfig } from "../charts/im/erlang-tuning";
import { FailedError } from "../lib/errors";
import { asUser, lookupUser, run, spawnGroup, stopGroup } from "../lib/host";
import type { PostgresLogin } from "../lib/local-postgres";
import { waitUntil } from "../lib/wait";
import type { Watchdog } from "../lib/watchdog";

export interface LocalEjabberdOptions {
  /** Directory for config, spool, logs and uploads; removed by the caller. */
  dir: string;
  domain: string;
  ports: EjabberdPorts;
  /** Erlang distribution port: unique per instance, so no epmd is needed. */
  distPort: number;
  database: PostgresLogin;
  admin: { user: string; password: string };
  /** Sessions to size the VM for. */
  sessions: number;
  /** Stops the server if this process dies without stopping it. @default - none */
  watchdog?: Watchdog;
  /**
   * The upload service slots point at, and the secret they are signed with. @default - slots point at ejabberd's own
   * HTTP port, where nothing takes them: for tests that never upload
   */
  uploads?: { baseUrl: string; secret: string; maxFileSize?: number };
  /**
   * Also open the cluster's Gateway listener on this loopback port: HTTP behind a PROXY protocol v2 header
   * (`use_proxy_protocol`), as the chart renders it. @default - none
   */
  gatewayPort?: number;
  /** Networks /api admits administrators from, beside loopback. @default [] */
  adminCidrs?: string[];
  /** Edits of the rendered files, for benchmarks measuring one setting (scripts/bench-im/levers.ts). @default - none */
  tune?: ConfigTuning;
}

/** Edits applied to the rendered ejabberd.yml and ejabberdctl.cfg before ejabberd starts. */
export interface ConfigTuning {
  ejabberdYml?: (text: string) => string;
  ejabberdctlCfg?: (text: string) => string;
}

export interface LocalEjabberd {
  node: string;
  /** Port of the node's Erlang distribution (no epmd), for a hidden node that inspects the VM. */
  distPort: number;
  /** HOME of the node, where ejabberdctl keeps the Erlang cookie. */
  home: string;
  /** PEM of the self-signed certificate; the only thing a client should trust. */
  certificatePem: string;
  /** Runs an ejabberdctl command against this node; `secrets` among the arguments are masked in errors. */
  ctl(args: string[], secrets?: string[]): Promise<string>;
  /** PID of the Erlang VM (beam.smp), for memory measurements. */
  beamPid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Runs the Debian ejabberd with the config rendered by the one renderer
 * (local profile), as the ejabberd user with the hard open-file limit.
 */
export async function startEjabberd(options: LocalEjabberdOptions): Promise<LocalEjabberd> {
  const { dir, domain, ports } = options;
  const ejabberd = lookupUser("ejabberd");
  const confDir = join(dir, "conf");
  const spool = join(dir, "spool");
  const logs = join(dir, "logs");
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  mkdirSync(confDir, { mode: 0o750 });
  chownSync(confDir, 0, ejabberd.gid);
  for (const d of [spool, logs]) {
    mkdirSync(d, { mode: 0o750 });
    chownSync(d, ejabberd.uid, ejabberd.gid);
  }
  // Config and key are secrets: root-owned, readable by the ejabberd group only.
  const secret = (name: string, text: string) => {
    const file = join(confDir, name);
    writeFileSync(file, text, { mode: 0o640 });
    chownSync(file, 0, ejabberd.gid);
    chmodSync(file, 0o640);
    return file;
  };

  const certificatePem = await selfSignedCertificate(confDir, domain, secret);
  const uploads = options.uploads ?? {
    baseUrl: `http://127.0.0.1:${ports.http}/no-upload-service`,
    secret: randomBytes(24).toString("hex"),
  };
  const spec = {
    profile: "local" as const,
    domain,
    ports,
    certFile: join(confDir, "server.pem"),
    secretsFile: join(confDir, "secrets.yml"),
    sql: {
      host: options.database.host,
      port: options.database.port,
      database: options.database.database,
      username: options.database.user,
    },
    admins: [`${options.admin.user}@${domain}`],
    adminCidrs: ["127.0.0.1/32", ...(options.adminCidrs ?? [])],
    uploads: { baseUrl: uploads.baseUrl, maxFileSize: uploads.maxFileSize },
    ...(options.gatewayPort ? { gateway: { port: options.gatewayPort } } : {}),
  };
  const secrets = { sqlPassword: options.database.password, uploadSecret: uploads.secret };
  secret("secrets.yml", renderEjabberdSecrets(spec, secrets));
  const tune = { ejabberdYml: (t: string) => t, ejabberdctlCfg: (t: string) => t, ...options.tune };
  const configFile = secret("ejabberd.yml", tune.ejabberdYml(renderEjabberdConfig(spec)));
  const ctlConfig = secret(
    "ejabberdctl.cfg",
    tune.ejabberdctlCfg(
      renderEjabberdctlConfig({
        distPort: options.distPort,
        distInterface: "127.0.0.1",
        pidPath: join(spool, "ejabberd.pid"),
        limits: erlangLimits(options.sessions),
      }),
    ),
  );

  const node = `warbler-${randomBytes(4).toString("hex")}@localhost`;
  // Every flag goes before the command word; --ctl-config keeps /etc/ejabberd/ejabberdctl.cfg from resetting --config.
  const flags = [
    "--config-dir",
    confDir,
    "--ctl-config",
    ctlConfig,
    "--config",
    configFile,
    "--spool",
    spool,
    "--logs",
    logs,
    "--node",
    node,
  ];
  // HOME holds the Erlang cookie; a private one per instance keeps instances apart.
  const env = { PATH: process.env.PATH, HOME: spool, LANG: "C.UTF-8" };
  const quoted = [...asUser("ejabberd"), "/usr/sbin/ejabberdctl", ...flags].map((a) => `'${a}'`).join(" ");
  const child = spawnGroup("bash", ["-c", `ulimit -n "$(ulimit -Hn)" && exec ${quoted} foreground`], {
    env,
    cwd: spool,
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const pgid = child.pid!;
  options.watchdog?.guardGroup(pgid, "TERM");
  // A VM that exited will never answer: the wait below ends at once.
  const exited = new AbortController();
  child.once("exit", (code, signal) => exited.abort(new Error(`ejabberd exited (${code ?? signal})`)));

  const ctl = (args: string[], secrets: string[] = []) => {
    const [setpriv, ...asEjabberd] = asUser("ejabberd");
    return run(setpriv, [...asEjabberd, "/usr/sbin/ejabberdctl", ...flags, ...args], {
      env,
      cwd: spool,
      timeoutMs: 30_000,
      secrets,
    });
  };
  const stop = async () => {
    // The VM shuts down cleanly on SIGTERM (init:stop), faster than `ejabberdctl stop`, which boots a second VM.
    await stopGroup(pgid, "SIGTERM", 15_000);
  };

  try {
    await waitUntil(() => httpAnswers(ports.http), {
      what: `ejabberd to answer HTTP on 127.0.0.1:${ports.http}`,
      timeoutMs: 20_000,
      signal: exited.signal,
    }).catch((err: Error) => {
      const log = tail(join(logs, "ejabberd.log"));
      const output = `${stderr.trim() || "no output"}${log ? `\nlast log lines:\n${log}` : ""}`;
      throw new FailedError(`ejabberd did not start (${err.message}): ${output}`);
    });
    await ctl(["register", options.admin.user, domain, options.admin.password], [options.admin.password]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    node,
    distPort: options.distPort,
    home: spool,
    certificatePem,
    ctl,
    beamPid: () => findBeam(pgid),
    stop,
  };
}

async function selfSignedCertificate(
  dir: string,
  domain: string,
  secret: (name: string, text: string) => string,
): Promise<string> {
  const key = join(dir, "key.tmp");
  const cert = join(dir, "cert.tmp");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "7",
    "-subj",
    `/CN=${domain}`,
    "-addext",
    `subjectAltName=DNS:${domain},DNS:*.${domain},IP:127.0.0.1`,
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  const certificatePem = readFileSync(cert, "utf8");
  secret("server.pem", certificatePem + readFileSync(key, "utf8"));
  unlinkSync(key);
  unlinkSync(cert);
  return certificatePem;
}

async function httpAnswers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/api/status`, {
      method: "POST",
      body: "{}",
      signal: AbortSignal.timeout(1000),
    });
    return true;
  } catch {
    return false;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-10).join("\n");
  } catch {
    return "";
  }
}

/** The beam.smp process in the group: the one that holds the sessions. */
export function findBeam(pgid: number): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && stat.includes("(beam.smp)")) return Number(entry);
    } catch {}
  }
  return undefined;
}
