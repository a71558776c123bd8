import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "node:tls";
import { LocalPostgres } from "../../lib/local-postgres";
import { waitUntil } from "../../lib/wait";
import { type ClusterNode, startClusterNode, startEpmd } from "./cluster-node";

/**
 * A renewed certificate is served without a restart. cert-manager renews the Secret, kubelet swaps the volume's
 * `..data` symlink, and cluster.sh (charts/im/cluster-script.ts) notices the new checksum and calls
 * `ejabberdctl reload_config`. Why reload_config: ejabberd does not follow a symlinked certificate by itself
 * (processone/ejabberd#3318, "SSL certificates are not refreshed when symlinked", a Kubernetes cert-manager setup;
 * the maintainers' answer: "trigger `ejabberdctl reload_config` after the update"), and reload_config re-reads
 * `certfiles` (processone/ejabberd#1109: "you might have to call `ejabberdctl reload-config` after replacing the
 * certificate"). Here Debian's 23.01 runs the rendered local config (with mod_ping's options) and the real script;
 * the next TLS connection must show the new certificate while the same Erlang VM keeps running.
 */

const dir = mkdtempSync(join(tmpdir(), "warbler-cert-reload-"));
chmodSync(dir, 0o755);
let postgres: LocalPostgres;
let epmd: Awaited<ReturnType<typeof startEpmd>>;
let node: ClusterNode;

before(async () => {
  postgres = await LocalPostgres.create({ name: "cert-reload" });
  await postgres.start();
  const database = await postgres.createEjabberdDatabase();
  epmd = await startEpmd();
  node = await startClusterNode({
    dir: join(dir, "node"),
    ordinal: 0,
    replicas: 1,
    cookie: "certificate-reload-test-cookie",
    epmdPort: epmd.port,
    database,
    checkPeriod: 1,
    healPeriod: 3600,
  });
  await waitUntil(() => node.ready(), { what: "the node to be ready", timeoutMs: 60_000, intervalMs: 500 }).catch(
    (err: Error) => {
      throw new Error(`${err.message}\ncluster.sh said:\n${node.output()}`);
    },
  );
});

after(async () => {
  await node?.stop();
  await epmd?.stop();
  await postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** SHA-256 fingerprint of the certificate a new TLS connection to the direct-TLS port is served. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = connect({ host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      ok(fingerprint);
    });
    socket.setTimeout(5000, () => socket.destroy(new Error("TLS handshake timed out")));
    socket.once("error", fail);
  });
}

const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256;

describe("certificate reload (Debian ejabberd 23.01, the chart's cluster.sh)", () => {
  it("serves the mounted certificate at first", async () => {
    assert.equal(await servedFingerprint(node.ports.c2sTls), fingerprintOf(node.certificatePem()));
  });

  it("serves a renewed certificate on the next connection, without restarting the node", async () => {
    const beam = node.beamPid();
    assert.ok(beam, "the Erlang VM runs");
    const before = await servedFingerprint(node.ports.c2sTls);
    const renewed = fingerprintOf(await node.renewCertificate());
    assert.notEqual(renewed, before);
    const served = await waitUntil(
      async () => {
        const now = await servedFingerprint(node.ports.c2sTls);
        return now === renewed ? now : undefined;
      },
      { what: "the renewed certificate to be served", timeoutMs: 30_000, intervalMs: 500 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\ncluster.sh said:\n${node.output()}`);
    });
    assert.equal(served, renewed);
    assert.equal(node.beamPid(), beam, "the same VM serves it: no restart");
    assert.match(node.output(), /the certificate changed; reloaded/);
  });
});
