import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startExporter } from "../charts/im/exporter/exporter";
import { startUploadService, type UploadService } from "../charts/im/upload/server";
import { InputError } from "../lib/errors";
import { ensurePackages, freePorts } from "../lib/host";
import { LocalPostgres } from "../lib/local-postgres";
import type { Progress } from "../lib/progress";
import { startWatchdog } from "../lib/watchdog";
import { createImDatabase } from "./database";
import { type ConfigTuning, type LocalEjabberd, startEjabberd } from "./ejabberd";
import { type LocalObjectStoreAccess, type LocalObjectStoreKind, startLocalObjectStore } from "./object-store";

export interface LocalImOptions {
  /** XMPP domain. @default "localhost" */
  domain?: string;
  /** Progress lines (stderr in the CLI). @default - silent */
  progress?: Progress;
  /** Sessions to size the Erlang VM for. @default 20000 */
  sessions?: number;
  /** The upload service's object store: Azurite (Azure Blob) or s3rver (S3, and OSS's S3 API). @default "s3" */
  objectStore?: LocalObjectStoreKind;
  /** Largest file, in MiB (`warbler:im.maxUploadMb`). @default 100 */
  maxUploadMb?: number;
  /** Files each user may keep, in MiB (`warbler:im.uploadQuotaMb`). @default 1024 */
  uploadQuotaMb?: number;
  /** Seconds between the exporter's rollups into warbler_daily_stats; 0 rolls up on every scrape. @default 300 */
  analyticsRollupSeconds?: number;
  /** Edits of ejabberd's rendered configuration, for the memory levers of `npm run bench:im`. @default - none */
  tune?: ConfigTuning;
}

/** What `warbler im local` prints, as one JSON line, once the service is ready. */
export interface LocalImEndpoints {
  domain: string;
  /** STARTTLS (required) client port. */
  c2s: string;
  /** Direct-TLS client port. */
  c2sTls: string;
  websocket: string;
  api: string;
  admin: { jid: string; password: string };
  /** Prometheus endpoint of the exporter. */
  metrics: string;
  /** Base URL of the upload service: slots and shared links start with it. */
  upload: string;
  /** Which local object store holds the files. */
  objectStore: LocalObjectStoreKind;
  /** Self-signed certificate (PEM) of the c2s ports; trust it for this server only. */
  certificate: string;
  /** postgres:// URL of the ejabberd database, as ejabberd's own role (DML only) logs in. */
  database: string;
  /** postgres:// URL of the same database as the exporter's role, which `warbler analytics --database-url` takes. */
  analyticsDatabase: string;
}

export interface LocalIm extends LocalImEndpoints {
  /** The running ejabberd, for tests and benchmarks that need ejabberdctl or the VM's PID. */
  ejabberd: LocalEjabberd;
  /** The running upload service, for tests that run its erasure sweep now. */
  uploadService: UploadService;
  /** How to reach the object store directly, to check what the service stored. */
  objectStoreAccess: LocalObjectStoreAccess;
  /** Temporary directory holding everything; removed by stop(). */
  dir: string;
  /** Stops everything it started and removes its files. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The IM service on this machine: a private PostgreSQL 15 and the Debian
 * ejabberd on free loopback ports in a temporary directory, configured by
 * the same renderer as the cluster, plus the metrics exporter and the upload
 * service in front of a local object store (Azurite or s3rver).
 */
export async function startLocalIm(options: LocalImOptions = {}): Promise<LocalIm> {
  if (process.getuid?.() !== 0) {
    throw new InputError(
      "warbler im local needs root: it runs PostgreSQL as the postgres user and ejabberd as the ejabberd user " +
        "(try sudo)",
    );
  }
  const domain = options.domain ?? "localhost";
  const step = (label: string) => options.progress?.step(label) ?? (() => undefined);
  let done = step("checking Debian packages");
  await ensurePackages((line) => options.progress?.info(line));
  done();

  // Even a SIGKILL of this process must not leave servers running or files behind.
  const watchdog = startWatchdog();
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    watchdog.release();
  };

  const dir = mkdtempSync(join(tmpdir(), "warbler-im-"));
  watchdog.guardDir(dir);
  // The postgres and ejabberd users must reach their own subdirectories.
  chmodSync(dir, 0o755);
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  try {
    const [pgPort, c2s, c2sTls, http, distPort, uploadPort] = await freePorts(6);
    done = step(`starting PostgreSQL 15 on 127.0.0.1:${pgPort} and loading the ejabberd schema`);
    const postgres = await LocalPostgres.create({ name: "im", dir: join(dir, "postgres"), port: pgPort, watchdog });
    cleanups.push(() => postgres.stop());
    await postgres.start();
    // Each workload logs in with its own role, set up by the cluster's own script (local/database.ts).
    const database = await createImDatabase(postgres);
    done();

    const objectStoreKind = options.objectStore ?? "s3";
    done = step(`starting the local object store (${objectStoreKind})`);
    const objectStore = await startLocalObjectStore(objectStoreKind, join(dir, "object-store"), watchdog);
    cleanups.push(objectStore.stop);
    done(objectStore.access.kind === "azurite" ? objectStore.access.accountUrl : objectStore.access.endpoint);

    const upload = `http://127.0.0.1:${uploadPort}`;
    const maxFileSize = (options.maxUploadMb ?? 100) * 1024 * 1024;
    const uploadSecret = randomBytes(32).toString("base64url");
    done = step("starting the upload service");
    const uploadService = await startUploadService({
      host: "127.0.0.1",
      port: uploadPort,
      secret: uploadSecret,
      store: objectStore.store,
      database: { connectionString: database.upload.url },
      maxFileSize,
      quotaBytes: (options.uploadQuotaMb ?? 1024) * 1024 * 1024,
      domains: [domain],
      // Structured logs go to a file: stdout carries only the endpoints' JSON line.
      log: uploadLog(join(dir, "upload-service.log")),
    });
    cleanups.push(uploadService.stop);
    done(uploadService.url);

    done = step(`starting ejabberd on 127.0.0.1:${c2s} (STARTTLS), :${c2sTls} (TLS), :${http} (HTTP)`);
    const admin = { user: "admin", password: randomBytes(18).toString("base64url") };
    const ejabberd = await startEjabberd({
      dir: join(dir, "ejabberd"),
      domain,
      ports: { c2s, c2sTls, http },
      distPort,
      database: database.ejabberd,
      admin,
      sessions: options.sessions ?? 20_000,
      watchdog,
      uploads: { baseUrl: upload, secret: uploadSecret, maxFileSize },
      tune: options.tune,
    });
    cleanups.push(ejabberd.stop);
    done(ejabberd.node);

    const api = `http://127.0.0.1:${http}/api`;
    const adminJid = `${admin.user}@${domain}`;
    done = step("starting the metrics exporter");
    const exporter = await startExporter({
      apiUrl: api,
      user: adminJid,
      password: admin.password,
      database: { connectionString: database.exporter.url },
      port: 0,
      // local/ejabberd.ts passes --logs <dir>/logs; ejabberd writes ejabberd.log there.
      logFile: join(dir, "ejabberd", "logs", "ejabberd.log"),
      rollupSeconds: options.analyticsRollupSeconds,
    });
    cleanups.push(exporter.close);
    done(exporter.url);

    return {
      domain,
      c2s: `xmpp://127.0.0.1:${c2s}`,
      c2sTls: `xmpps://127.0.0.1:${c2sTls}`,
      websocket: `ws://127.0.0.1:${http}/ws`,
      api,
      admin: { jid: adminJid, password: admin.password },
      metrics: exporter.url,
      upload,
      objectStore: objectStoreKind,
      certificate: ejabberd.certificatePem,
      database: database.ejabberd.url,
      analyticsDatabase: database.exporter.url,
      ejabberd,
      uploadService,
      objectStoreAccess: objectStore.access,
      dir,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The JSON-safe part of a LocalIm: what the CLI prints. */
export function endpointsOf(im: LocalIm): LocalImEndpoints {
  const { domain, c2s, c2sTls, websocket, api, admin, metrics, upload, objectStore, certificate, database } = im;
  const { analyticsDatabase } = im;
  return {
    domain,
    c2s,
    c2sTls,
    websocket,
    api,
    admin,
    metrics,
    upload,
    objectStore,
    certificate,
    database,
    analyticsDatabase,
  };
}

/** The upload service's JSON log lines, appended to a file in the run's directory. */
function uploadLog(file: string): (record: object) => void {
  return (record) => appendFileSync(file, `${JSON.stringify(record)}\n`);
}
