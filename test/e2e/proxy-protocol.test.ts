import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { renderEjabberdConfig } from "../../charts/im/ejabberd-config";
import { ejabberdGateway } from "../../charts/im/routes";
import { clusterEjabberdSpec } from "../../components/kubernetes/im-props";
import { freePorts } from "../../lib/host";
import { LocalPostgres } from "../../lib/local-postgres";
import { createImDatabase } from "../../local/database";
import { type LocalEjabberd, startEjabberd } from "../../local/ejabberd";
import { exampleConfig, sampleFacts } from "../chart/fixtures";

/**
 * The Gateway's listener on the real ejabberd 23.01 (Debian): Envoy opens every connection to it with a PROXY protocol
 * v2 header carrying the client's address (BackendTrafficPolicy proxyProtocol V2), and ejabberd, with
 * `use_proxy_protocol: true` on that listener, takes the header's source address as the peer. The admin allow-list
 * (`acl: admin_network`, from `warbler:im.adminCidrs`) is then checked against the client, not the proxy pod.
 *
 * Every connection here comes from 127.0.0.1; only the hand-built header differs. The header is the binary v2 form of
 * haproxy.org/download/2.1/doc/proxy-protocol.txt section 2.2: the 12-byte signature \r\n\r\n\0\r\nQUIT\n, version 2
 * with command PROXY (0x21), family AF_INET over STREAM (0x11), a 12-byte address block (source address,
 * destination address, source port, destination port, network order). ejabberd 23.01's proxy_protocol.erl reads
 * exactly that and refuses anything else (`{error, eproto}`, then gen_tcp:close in ejabberd_listener).
 */

const allowedNetwork = "198.51.100.0/24";
const allowedClient = "198.51.100.7";
const refusedClient = "203.0.113.9";

function proxyV2Header(source: string, destination: string, sourcePort: number, destinationPort: number): Buffer {
  const signature = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(sourcePort, 0);
  ports.writeUInt16BE(destinationPort, 2);
  const ipv4 = (address: string) => Buffer.from(address.split(".").map(Number));
  const addresses = Buffer.concat([ipv4(source), ipv4(destination), ports]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(addresses.length);
  return Buffer.concat([signature, Buffer.from([0x21, 0x11]), length, addresses]);
}

/** Sends `prefix` then one HTTP request on a fresh connection; resolves with everything read until the close. */
function exchange(port: number, prefix: Buffer, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no answer on 127.0.0.1:${port}`)));
    socket.on("connect", () => socket.write(Buffer.concat([prefix, Buffer.from(request)])));
    socket.on("data", (chunk) => chunks.push(chunk));
    // A reset is how a refused header-less connection may end as well: what was read so far is the answer.
    socket.on("error", (err: NodeJS.ErrnoException) =>
      err.code === "ECONNRESET" ? resolve(Buffer.concat(chunks).toString()) : reject(err),
    );
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
  });
}

const status = (answer: string) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);

describe("PROXY protocol v2 on ejabberd's Gateway listener (real ejabberd)", { timeout: 180_000 }, () => {
  let postgres: LocalPostgres;
  let ejabberd: LocalEjabberd;
  let dir: string;
  let gatewayPort: number;
  const admin = { user: "admin", password: randomBytes(18).toString("base64url") };
  const apiStatus = () => {
    const auth = Buffer.from(`${admin.user}@localhost:${admin.password}`).toString("base64");
    return (
      "POST /api/status HTTP/1.1\r\nHost: localhost\r\n" +
      `Authorization: Basic ${auth}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n` +
      "Connection: close\r\n\r\n{}"
    );
  };

  before(async () => {
    postgres = await LocalPostgres.create({ name: "proxy-protocol" });
    await postgres.start();
    const database = await createImDatabase(postgres);
    dir = mkdtempSync(join(tmpdir(), "warbler-proxy-"));
    chmodSync(dir, 0o755);
    const [c2s, c2sTls, http, distPort, gateway] = await freePorts(5);
    gatewayPort = gateway;
    ejabberd = await startEjabberd({
      dir: join(dir, "ejabberd"),
      domain: "localhost",
      ports: { c2s, c2sTls, http },
      distPort,
      database: database.ejabberd,
      admin,
      sessions: 200,
      gatewayPort,
      adminCidrs: [allowedNetwork],
    });
  });
  after(async () => {
    await ejabberd?.stop();
    await postgres?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the Gateway listener exactly as the chart renders it, apart from the loopback address and port", () => {
    const running = parse(readFileSync(join(dir, "ejabberd", "conf", "ejabberd.yml"), "utf8"));
    const local = running.listen.find((l: { port: number }) => l.port === gatewayPort);
    const config = exampleConfig("aws", { adminApi: true, adminCidrs: [allowedNetwork] });
    const cluster = parse(renderEjabberdConfig(clusterEjabberdSpec(config, sampleFacts.aws)));
    const chart = cluster.listen.find((l: { port: number }) => l.port === ejabberdGateway.port);
    assert.equal(chart.use_proxy_protocol, true);
    assert.deepEqual(
      { ...local, port: ejabberdGateway.port, ip: "0.0.0.0" },
      chart,
      "the local listener differs from the chart's",
    );
    assert.deepEqual(running.acl.admin_network.ip, ["127.0.0.1/32", allowedNetwork]);
    assert.deepEqual(cluster.acl.admin_network.ip, ["127.0.0.1/32", allowedNetwork]);
  });

  it("admits the administrator whose PROXY header names an address in adminCidrs", async () => {
    const answer = await exchange(gatewayPort, proxyV2Header(allowedClient, "10.0.0.5", 51000, 443), apiStatus());
    assert.equal(status(answer), 200, answer);
    assert.match(answer, /is started/);
  });

  it("refuses the same administrator and password when the header names an address outside adminCidrs", async () => {
    const answer = await exchange(gatewayPort, proxyV2Header(refusedClient, "10.0.0.5", 51001, 443), apiStatus());
    assert.ok([401, 403].includes(status(answer)), answer);
    assert.doesNotMatch(answer, /is started/);
  });

  it("closes a connection that starts without the header, even from loopback, which adminCidrs allows", async () => {
    const answer = await exchange(gatewayPort, Buffer.alloc(0), apiStatus());
    assert.equal(answer, "", "ejabberd answered a connection without a PROXY header");
  });

  it("control: the plain listener, without PROXY, answers loopback (the exporter, port-forward)", async () => {
    const running = parse(readFileSync(join(dir, "ejabberd", "conf", "ejabberd.yml"), "utf8"));
    const plain = running.listen.find(
      (l: { module: string; port: number }) => l.module === "ejabberd_http" && l.port !== gatewayPort,
    );
    assert.equal(plain.use_proxy_protocol, undefined);
    const answer = await exchange(plain.port, Buffer.alloc(0), apiStatus());
    assert.equal(status(answer), 200, answer);
  });
});
