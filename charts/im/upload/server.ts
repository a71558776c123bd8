import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { sweep } from "./erasure";
import { Ledger } from "./ledger";
import { type ContentTypePolicy, checkUpload, downloadHeaders, type Refusal, refusalStatus } from "./limits";
import { type LogSink, loggedPath, stdoutLog } from "./log";
import { Metrics } from "./metrics";
import type { ObjectStore } from "./store";
import { parseSlotPath, type SlotPath, verifySlot } from "./token";

export interface UploadServiceOptions {
  /** Listen address. */
  host: string;
  /** Listen port; 0 picks a free one. */
  port: number;
  /** ejabberd's mod_http_upload `external_secret`. */
  secret: string;
  /** Where the bytes go. */
  store: ObjectStore;
  /** The upload role's own login; its schema `warbler_upload` must exist (see ledger.ts for the grants). */
  database: { connectionString: string } | pg.PoolConfig;
  /** Largest file, in bytes (ejabberd's `max_size` should be the same, so clients learn it at slot time). */
  maxFileSize: number;
  /** Bytes one user (one owner segment) may hold. */
  quotaBytes: number;
  /** @default - every well-formed type accepted; only inlineSafeTypes served inline (limits.ts) */
  contentTypes?: ContentTypePolicy;
  /** ejabberd's virtual hosts; the erasure sweep keeps the files of their accounts only. */
  domains: string[];
  /** Period of the erasure sweep, which also runs at start. @default 300_000 (5 minutes) */
  eraseIntervalMs?: number;
  /** A reservation older than this is an upload that died with its pod; the sweep removes it. @default 6 hours */
  staleUploadMs?: number;
  /** The path put_url ends with, as the service sees it behind the ingress. @default "/" */
  pathPrefix?: string;
  /** Schema of ejabberd's tables. @default "public" */
  ejabberdSchema?: string;
  /** A second listener for `GET /metrics` (Prometheus text) and `GET /healthz` (readiness). @default - none */
  metrics?: { host: string; port: number };
  /** Structured records, one per request. @default - JSON lines on stdout */
  log?: LogSink;
}

export interface UploadService {
  url: string;
  port: number;
  /** `http://host:port/metrics`, when a metrics listener was asked for. */
  metricsUrl?: string;
  /** Runs one erasure sweep now (waiting for one under way); returns the files it deleted. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

// XEP-0363 §6: the service should allow cross-origin requests, so that web clients can upload and show files.
const cors = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, PUT, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

const refusalText: Record<Refusal, string> = {
  "bad-path": "not an upload slot",
  "bad-token": "the slot's token is missing, or does not match this path and Content-Length",
  "no-length": "Content-Length is required (the slot's size is signed)",
  "too-large": "file larger than the service's maximum size",
  "content-type": "content type malformed or refused by policy",
  quota: "storage quota exceeded",
  exists: "this slot was already used; request a new one",
  "short-body": "the body ended before Content-Length bytes",
};

/** Starts the service: the ledger, the HTTP listener(s) and the erasure sweep. */
export async function startUploadService(o: UploadServiceOptions): Promise<UploadService> {
  if (o.domains.length === 0) throw new Error("'domains' ([]) must name ejabberd's virtual hosts; erasure needs them");
  const log = o.log ?? stdoutLog;
  const metrics = new Metrics(o.store.kind);
  const ledger = await Ledger.open(o.database, o.ejabberdSchema);
  const policy = o.contentTypes ?? {};
  const prefix = o.pathPrefix ?? "/";

  let running: Promise<number> | undefined;
  const runSweep = () => {
    running ??= sweep({
      ledger,
      store: o.store,
      domains: o.domains,
      staleMs: o.staleUploadMs ?? 6 * 3600_000,
      metrics,
      log,
    }).finally(() => {
      running = undefined;
    });
    return running;
  };
  const background = () =>
    void runSweep().catch((err: Error) => {
      metrics.add("warbler_upload_sweep_errors_total");
      log({ event: "sweep-failed", error: err.message });
    });

  const handle = async (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://upload");
    const slot = parseSlotPath(url.pathname, prefix);
    const record: Record<string, unknown> = { method: req.method, path: loggedPath(slot?.key, url.pathname) };
    try {
      if (req.method === "OPTIONS") send(res, 204, cors);
      else if (req.method === "PUT") Object.assign(record, await put(req, res, slot, url, expectsContinue));
      else if (req.method === "GET" || req.method === "HEAD") Object.assign(record, await get(req, res, slot, url));
      else send(res, 405, { Allow: "GET, HEAD, PUT, OPTIONS", Connection: "close" });
    } catch (err) {
      record.error = (err as Error).message;
      if (!res.headersSent) send(res, 500, { Connection: "close" }, "internal error\n");
      else res.destroy();
    }
    log({ ...record, status: res.statusCode, ms: Date.now() - started });
  };

  const refuse = (res: ServerResponse, reason: Refusal) => {
    metrics.refused(reason);
    // The body is not read: closing the connection spares reading (and discarding) up to maxFileSize bytes.
    send(res, refusalStatus[reason], { Connection: "close" }, `${refusalText[reason]}\n`);
    return { reason };
  };

  const put = async (
    req: IncomingMessage,
    res: ServerResponse,
    slot: SlotPath | undefined,
    url: URL,
    expectsContinue: boolean,
  ) => {
    if (!slot) return refuse(res, "bad-path");
    const length = req.headers["content-length"];
    if (length === undefined || !/^\d{1,16}$/.test(length)) return refuse(res, "no-length");
    if (!verifySlot(o.secret, slot.key, Number(length), url.searchParams.get("v"))) return refuse(res, "bad-token");
    const checked = checkUpload(
      { contentLength: length, contentType: req.headers["content-type"] },
      { maxFileSize: o.maxFileSize, policy },
    );
    if (!checked.ok) return refuse(res, checked.refusal);
    const { size, contentType } = checked;
    const reservation = await ledger.reserve(slot, size, contentType, o.quotaBytes);
    if (reservation !== "reserved") return refuse(res, reservation);

    if (expectsContinue) res.writeContinue();
    let received = 0;
    const counted = new PassThrough();
    counted.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    const streamed = pipeline(req, counted);
    try {
      await Promise.all([o.store.put(slot.key, counted, size, contentType), streamed]);
      if (received !== size) throw Object.assign(new Error(`got ${received} of ${size} bytes`), { short: true });
    } catch (err) {
      const short = received !== size || (err as { short?: boolean }).short === true || req.destroyed;
      await o.store.delete(slot.key).catch(() => undefined);
      await ledger.release(slot.key);
      if (short) return { ...refuse(res, "short-body"), owner: slot.owner };
      metrics.add("warbler_upload_store_errors_total", 1, { operation: "put" });
      send(res, 502, { Connection: "close" }, "the object store failed; try again\n");
      return { owner: slot.owner, error: (err as Error).message };
    }
    await ledger.complete(slot.key);
    metrics.add("warbler_upload_uploads_total");
    metrics.add("warbler_upload_uploaded_bytes_total", size);
    send(res, 201, {});
    return { owner: slot.owner, bytes: size, contentType };
  };

  const get = async (req: IncomingMessage, res: ServerResponse, slot: SlotPath | undefined, url: URL) => {
    if (req.method === "GET" && url.pathname === "/healthz") {
      send(res, 200, {}, "ok\n");
      return {};
    }
    const row = slot && (await ledger.find(slot.key));
    if (!slot || !row || row.state !== "stored") {
      metrics.add("warbler_upload_not_found_total");
      send(res, 404, {}, "no such file\n");
      return {};
    }
    const headers = downloadHeaders({ contentType: row.contentType, size: row.size, file: slot.file }, policy);
    if (req.method === "HEAD") {
      send(res, 200, headers);
      return { owner: slot.owner };
    }
    let object: Awaited<ReturnType<ObjectStore["get"]>>;
    try {
      object = await o.store.get(slot.key);
    } catch (err) {
      metrics.add("warbler_upload_store_errors_total", 1, { operation: "get" });
      send(res, 502, {}, "the object store failed; try again\n");
      return { owner: slot.owner, error: (err as Error).message };
    }
    if (!object) {
      metrics.add("warbler_upload_not_found_total");
      send(res, 404, {}, "no such file\n");
      return { owner: slot.owner, error: "in the ledger but not in the store" };
    }
    res.writeHead(200, { ...cors, ...headers, "Content-Length": String(object.size) });
    await pipeline(object.body, res);
    metrics.add("warbler_upload_downloads_total");
    metrics.add("warbler_upload_downloaded_bytes_total", object.size);
    return { owner: slot.owner, bytes: object.size };
  };

  const server = createServer((req, res) => void handle(req, res, false));
  // Answering `Expect: 100-continue` only after the checks lets a refused client skip sending the body.
  server.on("checkContinue", (req, res) => void handle(req, res, true));
  // Uploads of large files on slow links: no overall request timeout, but headers must come quickly.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  // …and a connection that sends nothing for two minutes is closed, so stalled bodies do not pile up.
  server.setTimeout(120_000);
  const address = await listen(server, o.host, o.port);

  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (o.metrics) {
    metricsServer = createServer((req, res) => {
      if (req.url === "/metrics") send(res, 200, { "Content-Type": "text/plain; version=0.0.4" }, metrics.render());
      // Readiness: the listeners are up and the ledger answered at start (Ledger.open creates its table).
      else if (req.url === "/healthz") send(res, 200, {}, "ok\n");
      else send(res, 404, {}, "see /metrics\n");
    });
    const m = await listen(metricsServer, o.metrics.host, o.metrics.port);
    metricsUrl = `http://${hostForUrl(m.address)}:${m.port}/metrics`;
  }

  background();
  const timer = setInterval(background, o.eraseIntervalMs ?? 300_000);
  timer.unref();

  return {
    url: `http://${hostForUrl(address.address)}:${address.port}`,
    port: address.port,
    metricsUrl,
    sweep: runSweep,
    async stop() {
      clearInterval(timer);
      await Promise.all([close(server), metricsServer && close(metricsServer)]);
      await running?.catch(() => undefined);
      await ledger.close();
    },
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  res.writeHead(status, { ...cors, ...(body ? { "Content-Type": "text/plain; charset=utf-8" } : {}), ...headers });
  res.end(body);
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(server.address() as AddressInfo));
  });
}

/** Stops accepting, lets requests under way finish for 10 s, then cuts what remains. */
function close(server: Server): Promise<void> {
  return new Promise((ok) => {
    const cut = setTimeout(() => server.closeAllConnections(), 10_000);
    server.close(() => {
      clearTimeout(cut);
      ok();
    });
    server.closeIdleConnections();
  });
}

function hostForUrl(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}
