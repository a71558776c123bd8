import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Client } from "pg";
import { startExporter } from "../../charts/im/exporter/exporter";
import {
  type ProxyLogEvent,
  type SqlTlsProxy,
  sslRequest,
  startSqlTlsProxy,
} from "../../charts/im/sql-tls-proxy/proxy";
import { sqlTlsProxyBundle } from "../../components/kubernetes/bundle";
import { freePorts } from "../../lib/host";
import { LocalPostgres } from "../../lib/local-postgres";
import { waitUntil } from "../../lib/wait";
import { type LocalEjabberd, startEjabberd } from "../../local/ejabberd";

/*
 * ejabberd's database connection through the sql-tls-proxy sidecar (charts/im/sql-tls-proxy/), against a real
 * PostgreSQL 15 that serves TLS with a certificate naming only `db.warbler.test`, as managed servers' certificates
 * name only their DNS host. Why the proxy exists: ejabberd's own TLS checks the certificate against the peer's IP
 * address (processone/ejabberd#4180; test/e2e/database-roles.test.ts reproduces it with this machine's OTP).
 * The negotiation the proxy speaks is PostgreSQL's "SSL Session Encryption",
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL: SSLRequest, then one byte, `S` or
 * `N`; after `S` a TLS handshake, then the StartupMessage inside TLS.
 */

const dnsName = "db.warbler.test";

/** A CA made by openssl and a P-256 server certificate it signs, with `san` as its only subjectAltName. */
function certificates(dir: string, name: string, san: string): { caPem: string; certPem: string; keyPem: string } {
  const ossl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  ossl(
    ["req", "-x509", ...ec, "-keyout", `${name}-ca.key`, "-out", `${name}-ca.pem`, "-days", "2"].concat([
      "-subj",
      `/CN=${name} test CA`,
    ]),
  );
  ossl(["req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${dnsName}`]);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=critical,CA:FALSE\n`);
  const ca = ["-CA", `${name}-ca.pem`, "-CAkey", `${name}-ca.key`, "-CAcreateserial", "-days", "2"];
  ossl(["x509", "-req", "-in", `${name}.csr`, ...ca, "-out", `${name}.pem`, "-extfile", `${name}.ext`]);
  const read = (file: string) => readFileSync(join(dir, file), "utf8");
  return { caPem: read(`${name}-ca.pem`), certPem: read(`${name}.pem`), keyPem: read(`${name}.key`) };
}

/** Logs in through the proxy with a plain client (no SSL, as ejabberd with sql_ssl false) and asks about TLS. */
async function queryThrough(proxyPort: number, login: LocalPostgres["superuser"]) {
  const client = new Client({
    ...login,
    host: "127.0.0.1",
    port: proxyPort,
    ssl: false,
    connectionTimeoutMillis: 5000,
  });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const result = await client.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    return result.rows[0] as { ssl: boolean; version: string };
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("sql-tls-proxy: plain PostgreSQL in, verified TLS out", { timeout: 120_000 }, () => {
  let dir: string;
  let tlsServer: LocalPostgres;
  let plainServer: LocalPostgres;
  let good: ReturnType<typeof certificates>;
  let other: ReturnType<typeof certificates>;
  const proxies: SqlTlsProxy[] = [];
  const children: ChildProcess[] = [];

  /** A proxy on a free loopback port, recording what it logs. */
  async function proxy(options: { port: number; ca: string; servername?: string; host?: string }) {
    const events: ProxyLogEvent[] = [];
    const started = await startSqlTlsProxy({
      listen: { host: "127.0.0.1", port: 0 },
      upstream: { host: options.host ?? "127.0.0.1", port: options.port },
      ca: options.ca,
      ...(options.servername ? { servername: options.servername } : {}),
      log: (event) => events.push(event),
    });
    proxies.push(started);
    return { port: started.port, events };
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "warbler-sqlproxy-"));
    good = certificates(dir, "good", `DNS:${dnsName}`);
    other = certificates(dir, "other", `DNS:${dnsName}`);
    tlsServer = await LocalPostgres.create({
      name: "sqlproxy-tls",
      tls: { certPem: good.certPem, keyPem: good.keyPem },
    });
    await tlsServer.start();
    plainServer = await LocalPostgres.create({ name: "sqlproxy-plain" });
    await plainServer.start();
  });

  after(async () => {
    for (const p of proxies) await p.close();
    for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, "SIGKILL");
    await tlsServer?.destroy();
    await plainServer?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("logs a plain client in over TLS when the certificate names the server name and chains to the CA", async () => {
    const { port, events } = await proxy({ port: tlsServer.port, ca: good.caPem, servername: dnsName });
    const session = await queryThrough(port, tlsServer.superuser);
    // pg_stat_ssl is the server's own view of the session: the bytes between proxy and database were TLS.
    assert.equal(session.ssl, true);
    assert.match(session.version, /^TLSv1\.[23]$/);
    assert.deepEqual(events, []);
  });

  it("refuses a certificate that does not name the server name, and logs the host name mismatch", async () => {
    const { port, events } = await proxy({ port: tlsServer.port, ca: good.caPem, servername: "wrong.warbler.test" });
    await assert.rejects(queryThrough(port, tlsServer.superuser), /Connection terminated|ECONNRESET|closed/i);
    await waitUntil(() => events.length > 0 || undefined, { what: "the proxy's log", timeoutMs: 5000 });
    assert.equal(events[0].event, "connection-refused");
    assert.equal(events[0].code, "ERR_TLS_CERT_ALTNAME_INVALID");
    assert.equal(events[0].servername, "wrong.warbler.test");
  });

  it("checks the host it dials when no server name is given: an address the certificate omits fails", async () => {
    const { port, events } = await proxy({ port: tlsServer.port, ca: good.caPem });
    await assert.rejects(queryThrough(port, tlsServer.superuser));
    await waitUntil(() => events.length > 0 || undefined, { what: "the proxy's log", timeoutMs: 5000 });
    assert.equal(events[0].code, "ERR_TLS_CERT_ALTNAME_INVALID");
    assert.equal(events[0].servername, "127.0.0.1");
  });

  it("lets the exporter report the database certificate's expiry from its own verify-full connection", async () => {
    const exporter = await startExporter({
      // No ejabberd here: the API answers nothing, and the database samples are collected all the same.
      apiUrl: "http://127.0.0.1:9/api",
      user: "warbler-metrics@example.com",
      password: "unused",
      database: { ...tlsServer.superuser, host: "127.0.0.1", ssl: { ca: good.caPem, servername: dnsName } },
    });
    try {
      const text = await (await fetch(exporter.url)).text();
      const value = /^warbler_database_certificate_expiry_timestamp_seconds (\S+)$/m.exec(text)?.[1];
      assert.equal(Number(value), Date.parse(new X509Certificate(good.certPem).validTo) / 1000, text);
    } finally {
      await exporter.close();
    }
  });

  it("refuses a certificate signed by another CA", async () => {
    const { port, events } = await proxy({ port: tlsServer.port, ca: other.caPem, servername: dnsName });
    await assert.rejects(queryThrough(port, tlsServer.superuser));
    await waitUntil(() => events.length > 0 || undefined, { what: "the proxy's log", timeoutMs: 5000 });
    assert.equal(events[0].event, "connection-refused");
    // OpenSSL's verify codes, as Node reports them: the chain does not lead to a CA in `ca`.
    assert.match(String(events[0].code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
  });

  it("refuses a real PostgreSQL that declines TLS ('N')", async () => {
    const { port, events } = await proxy({ port: plainServer.port, ca: good.caPem, servername: dnsName });
    await assert.rejects(queryThrough(port, plainServer.superuser));
    await waitUntil(() => events.length > 0 || undefined, { what: "the proxy's log", timeoutMs: 5000 });
    assert.equal(events[0].code, "EPROTO_NO_TLS");
    assert.match(String(events[0].reason), /'N'/);
    // What the proxy sent such a server is pinned byte for byte by the next test.
  });

  it("sends nothing but the SSLRequest to a server that answers 'N'", async () => {
    const received: Buffer[] = [];
    const fake = createServer((socket) => {
      socket.on("data", (chunk) => {
        received.push(chunk);
        socket.write("N");
      });
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    try {
      const address = fake.address();
      const fakePort = typeof address === "object" && address ? address.port : 0;
      const { port, events } = await proxy({ port: fakePort, ca: good.caPem, servername: dnsName });
      await assert.rejects(queryThrough(port, { ...tlsServer.superuser, password: "never-sent" }));
      await waitUntil(() => events.length > 0 || undefined, { what: "the proxy's log", timeoutMs: 5000 });
      await new Promise((r) => setTimeout(r, 200));
      // The client's StartupMessage (user name, database) and password never reach a server without TLS.
      assert.deepEqual(Buffer.concat(received), sslRequest());
    } finally {
      fake.close();
    }
  });

  it("answers 'N' to a client's own SSLRequest: it offers its in-pod clients no TLS", async () => {
    const { port } = await proxy({ port: tlsServer.port, ca: good.caPem, servername: dnsName });
    const socket = tcpConnect({ host: "127.0.0.1", port });
    const answer = await new Promise<Buffer>((resolve, reject) => {
      socket.once("connect", () => socket.write(sslRequest()));
      socket.once("data", resolve);
      socket.once("error", reject);
    });
    socket.destroy();
    assert.equal(answer.toString(), "N");
    // pg with `ssl` asks first and stops at the 'N': the proxy offers no TLS to its (in-pod) clients.
    const client = new Client({ ...tlsServer.superuser, port, ssl: { rejectUnauthorized: false } });
    client.on("error", () => undefined);
    await assert.rejects(client.connect(), /does not support SSL/);
  });

  it("runs as the chart ships it: the bundle, set up by environment, answers /healthz, stops on SIGTERM", async () => {
    const script = join(dir, "sql-tls-proxy.js");
    writeFileSync(script, sqlTlsProxyBundle());
    writeFileSync(join(dir, "ca.pem"), good.caPem);
    const [listenPort, healthPort] = await freePorts(2);
    const child = spawn(process.execPath, [script], {
      env: {
        PATH: process.env.PATH,
        WARBLER_SQL_PROXY_PORT: String(listenPort),
        WARBLER_SQL_PROXY_UPSTREAM_HOST: "127.0.0.1",
        WARBLER_SQL_PROXY_UPSTREAM_PORT: String(tlsServer.port),
        WARBLER_SQL_PROXY_CA_FILE: join(dir, "ca.pem"),
        WARBLER_SQL_PROXY_SERVERNAME: dnsName,
        WARBLER_SQL_PROXY_HEALTH_PORT: String(healthPort),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(child);
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    await waitUntil(() => stderr.includes('"event":"listening"') || undefined, {
      what: "the bundle",
      timeoutMs: 10_000,
    });
    assert.equal((await queryThrough(listenPort, tlsServer.superuser)).ssl, true);
    // The kubelet's probes reach the pod's address, where only the health answer listens, never the proxy.
    assert.equal((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status, 200);
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    assert.equal(await exit, 0);
  });

  it("refuses to start without a CA, naming the variable", async () => {
    const script = join(dir, "sql-tls-proxy.js");
    writeFileSync(script, sqlTlsProxyBundle());
    const child = spawn(process.execPath, [script], {
      env: { PATH: process.env.PATH, WARBLER_SQL_PROXY_PORT: "15432", WARBLER_SQL_PROXY_UPSTREAM_HOST: dnsName },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 1);
    assert.match(stderr, /"event":"start-failed".*WARBLER_SQL_PROXY_CA_FILE/);
  });
});

/*
 * The wire path the cluster uses, with the real Debian ejabberd 23.01: ejabberd connects to the proxy on loopback with
 * no sql_ssl (the local profile writes none; the cluster profile writes `sql_ssl: false`), and the proxy carries the
 * session to a PostgreSQL that serves TLS, verifying its certificate's DNS name.
 */
describe("sql-tls-proxy: the real ejabberd 23.01 through the proxy to a TLS PostgreSQL", { timeout: 120_000 }, () => {
  let dir: string;
  let server: LocalPostgres;
  let proxy: SqlTlsProxy;
  let ejabberd: LocalEjabberd | undefined;
  const events: ProxyLogEvent[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "warbler-sqlproxy-ejabberd-"));
    // ejabberd runs as its own user, which must reach its directory below this one.
    chmodSync(dir, 0o755);
    const pki = certificates(dir, "db", `DNS:${dnsName}`);
    server = await LocalPostgres.create({
      name: "sqlproxy-ejabberd",
      tls: { certPem: pki.certPem, keyPem: pki.keyPem },
    });
    await server.start();
    const database = await server.createEjabberdDatabase();
    proxy = await startSqlTlsProxy({
      listen: { host: "127.0.0.1", port: 0 },
      upstream: { host: "127.0.0.1", port: server.port },
      servername: dnsName,
      ca: pki.caPem,
      log: (event) => events.push(event),
    });
    const [c2s, c2sTls, http, distPort] = await freePorts(4);
    // startEjabberd registers the administrator through ejabberd's SQL pool: the first write through the proxy.
    ejabberd = await startEjabberd({
      dir: join(dir, "ejabberd"),
      domain: "localhost",
      ports: { c2s, c2sTls, http },
      distPort,
      database: { ...database, host: "127.0.0.1", port: proxy.port },
      admin: { user: "admin", password: "admin-password-1" },
      sessions: 100,
    });
  });

  after(async () => {
    await ejabberd?.stop();
    await proxy?.close();
    await server?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers a user, and every ejabberd session on the server is TLS", async () => {
    await ejabberd!.ctl(["register", "alice", "localhost", "alice-password-1"], ["alice-password-1"]);
    const client = new Client({ ...server.superuser, database: "ejabberd" });
    await client.connect();
    try {
      const users = await client.query("SELECT username FROM users ORDER BY username");
      assert.deepEqual(
        users.rows.map((r) => r.username),
        ["admin", "alice"],
      );
      const sessions = await client.query(
        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'ejabberd'",
      );
      assert.ok(sessions.rows.length > 0, "ejabberd holds a pool of sessions");
      assert.ok(
        sessions.rows.every((r) => r.ssl === true),
        "no session of ejabberd's is plaintext",
      );
    } finally {
      await client.end();
    }
    assert.deepEqual(events, []);
  });
});
