import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Client } from "pg";
import { startUploadService, type UploadService } from "../../charts/im/upload/server";
import type { ObjectStore } from "../../charts/im/upload/store";
import { ownerOf, signSlot } from "../../charts/im/upload/token";
import { LocalPostgres, type PostgresLogin } from "../../lib/local-postgres";
import { waitUntil } from "../../lib/wait";
import { startWatchdog, type Watchdog } from "../../lib/watchdog";
import { createImDatabase } from "../../local/database";
import { type LocalObjectStore, localObjectStoreKinds, startLocalObjectStore } from "../../local/object-store";

/**
 * The upload service against real local servers: PostgreSQL 15 with ejabberd 23.01's schema (pg.new.sql), Azurite
 * (Microsoft's Blob emulator, which checks Shared Key signatures) and s3rver (an S3-compatible server; it checks
 * SigV2 but not SigV4 signatures, and ignores SSE headers: what this test proves about S3 is the SDK calls and
 * streaming, not AWS's authorisation or encryption). Tokens are computed as ejabberd 23.01 computes them
 * (token.ts; checked against the running server, see test/unit/im/upload/token.test.ts).
 */

const domain = "example.test";
const secret = randomBytes(24).toString("hex");
const maxFileSize = 32 * 1024;
const quotaBytes = 80 * 1024;

let postgres: LocalPostgres;
let owner: PostgresLogin;
let uploadLogin: PostgresLogin;
let watchdog: Watchdog;
let dir: string;
const stores: LocalObjectStore[] = [];

before(async () => {
  watchdog = startWatchdog();
  dir = mkdtempSync(join(tmpdir(), "warbler-upload-e2e-"));
  postgres = await LocalPostgres.create({ name: "upload-e2e", watchdog });
  await postgres.start();
  // What the database Job does in the cluster (local/database.ts runs the same script): ejabberd's role with DML
  // rights, and the upload role with its own schema and read access to users only.
  const database = await createImDatabase(postgres);
  owner = database.ejabberd;
  uploadLogin = database.upload;
  for (const kind of localObjectStoreKinds) stores.push(await startLocalObjectStore(kind, join(dir, kind), watchdog));
});

after(async () => {
  for (const store of stores) await store.stop();
  await postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
  watchdog?.release();
});

const backends: { name: string; store: () => Promise<ObjectStore> }[] = localObjectStoreKinds.map((kind, i) => ({
  name: kind === "azurite" ? "azure-blob (Azurite)" : "s3 (s3rver)",
  store: async () => stores[i].store,
}));

test("a login that may not write the ledger's schema fails at start, naming the schema and the Job", async () => {
  // ejabberd's own role has no rights in warbler_upload: least privilege works both ways.
  await assert.rejects(
    startUploadService({
      host: "127.0.0.1",
      port: 0,
      secret,
      store: await backends[1].store(),
      database: owner,
      maxFileSize,
      quotaBytes,
      domains: [domain],
      log: () => undefined,
    }),
    /cannot create warbler_upload\.files \(permission denied for schema warbler_upload\); the database Job/,
  );
});

for (const backend of backends) {
  describe(`upload service on ${backend.name}`, () => {
    let service: UploadService;
    let store: ObjectStore;
    const records: object[] = [];
    // Users of this backend only: the sweeps of the two services share one ledger.
    const tag = backend.name.split(" ")[0].replace(/[^a-z0-9]/g, "");
    const alice = `alice-${tag}`;
    const bob = `bob-${tag}`;
    const carol = `carol-${tag}`;

    before(async () => {
      await sql(owner, [
        `INSERT INTO users (username, server_host, password) VALUES
           ('${alice}', '${domain}', 'x'), ('${bob}', '${domain}', 'x'), ('${carol}', '${domain}', 'x')`,
      ]);
      store = await backend.store();
      service = await startUploadService({
        host: "127.0.0.1",
        port: 0,
        secret,
        store,
        database: uploadLogin,
        maxFileSize,
        quotaBytes,
        domains: [domain],
        eraseIntervalMs: 3_600_000,
        metrics: { host: "127.0.0.1", port: 0 },
        log: (r) => records.push(r),
      });
    });
    after(async () => service?.stop());

    const slot = (user: string, file = "photo.png") =>
      `${ownerOf(user, domain)}/${randomBytes(20).toString("hex")}/${file}`;
    const put = (key: string, body: Buffer, signedSize = body.length, contentType = "image/png") =>
      fetch(`${service.url}/${key}?v=${signSlot(secret, key, signedSize)}`, {
        method: "PUT",
        body,
        headers: { "Content-Type": contentType },
      });

    test("a PUT with ejabberd's token stores the bytes; a client without credentials GETs the same bytes", async () => {
      const key = slot(alice);
      const body = randomBytes(20_000);
      const stored = await put(key, body);
      assert.equal(stored.status, 201);
      assert.deepEqual(await store.head(key), { size: body.length, contentType: "image/png" });

      const got = await fetch(`${service.url}/${key}`);
      assert.equal(got.status, 200);
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), body);
      assert.equal(got.headers.get("content-type"), "image/png");
      assert.equal(got.headers.get("x-content-type-options"), "nosniff");
      assert.equal(got.headers.get("access-control-allow-origin"), "*");
      assert.match(got.headers.get("content-disposition") ?? "", /^inline; filename\*=UTF-8''photo\.png$/);
    });

    test("a file name in another script round-trips, percent-encoded as ejabberd writes it", async () => {
      // ejabberd keeps letters of any script in the name (make_file_string/1) and percent-encodes the URL.
      const key = slot(alice, "héllo_wörld.txt");
      const body = Buffer.from("bonjour");
      assert.equal((await put(key, body, undefined, "text/plain")).status, 201);
      const url = `${service.url}/${key.split("/").map(encodeURIComponent).join("/")}`;
      const got = await fetch(url);
      assert.equal(got.status, 200);
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), body);
      assert.match(got.headers.get("content-disposition") ?? "", /filename\*=UTF-8''h%C3%A9llo_w%C3%B6rld\.txt$/);
    });

    test("an HTML file is served as an attachment, never inline", async () => {
      const key = slot(alice, "page.html");
      assert.equal((await put(key, Buffer.from("<script>alert(1)</script>"), undefined, "text/html")).status, 201);
      const got = await fetch(`${service.url}/${key}`);
      assert.match(got.headers.get("content-disposition") ?? "", /^attachment;/);
      assert.match(got.headers.get("content-security-policy") ?? "", /sandbox/);
    });

    test("tampered tokens, paths and sizes are refused with 403 and store nothing", async () => {
      const key = slot(alice);
      const body = randomBytes(100);
      const token = signSlot(secret, key, body.length);
      const flipped = `${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`;
      const other = slot(alice);
      const attempts = [
        `${service.url}/${key}?v=${flipped}`,
        `${service.url}/${other}?v=${token}`,
        `${service.url}/${key}?v=${signSlot("not-the-secret", key, body.length)}`,
        `${service.url}/${key}`,
      ];
      for (const url of attempts) {
        const r = await fetch(url, { method: "PUT", body });
        assert.equal(r.status, 403, url);
      }
      // Signed for 101 bytes, 100 sent: the size is part of the token.
      assert.equal((await put(key, body, body.length + 1)).status, 403);
      assert.equal(await store.head(key), undefined);
      assert.equal((await fetch(`${service.url}/${key}`)).status, 404);
    });

    test("a file over the maximum size is refused with 413 even with a valid token", async () => {
      const key = slot(alice);
      assert.equal((await put(key, randomBytes(maxFileSize + 1))).status, 413);
      assert.equal(await store.head(key), undefined);
    });

    test("a replayed PUT of a used slot is refused with 409 and the first file stays", async () => {
      const key = slot(carol);
      const first = randomBytes(1000);
      assert.equal((await put(key, first)).status, 201);
      assert.equal((await put(key, randomBytes(1000))).status, 409);
      const got = await fetch(`${service.url}/${key}`);
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), first);
    });

    test("a body cut short is not stored, and the slot can be used again", async () => {
      const key = slot(carol);
      const status = await shortPut(`${service.url}/${key}?v=${signSlot(secret, key, 5000)}`, 5000, 1000);
      assert.notEqual(status, 201);
      assert.equal((await fetch(`${service.url}/${key}`)).status, 404, "a partial upload is never served");
      // The service releases the reservation once the store call has failed; until then the slot answers 409.
      const retried = await waitUntil(
        async () => {
          const r = await put(key, randomBytes(5000));
          return r.status === 409 ? undefined : r.status;
        },
        { what: "the aborted upload's slot to be released", timeoutMs: 10_000, intervalMs: 200 },
      );
      assert.equal(retried, 201);
      assert.ok(records.some((r) => (r as { reason?: string }).reason === "short-body"));
    });

    const bobsFiles: string[] = [];

    test("uploads past the user's quota are refused with 413 naming the quota", async () => {
      for (const size of [maxFileSize, maxFileSize]) {
        const key = slot(bob);
        assert.equal((await put(key, randomBytes(size))).status, 201);
        bobsFiles.push(key);
      }
      const refused = await put(slot(bob), randomBytes(quotaBytes - 2 * maxFileSize + 1));
      assert.equal(refused.status, 413);
      assert.match(await refused.text(), /quota/);
      // Exactly up to the quota is allowed, and another user is not affected.
      const last = slot(bob);
      assert.equal((await put(last, randomBytes(quotaBytes - 2 * maxFileSize))).status, 201);
      bobsFiles.push(last);
      assert.equal((await put(slot(carol), randomBytes(100))).status, 201);
      const metrics = await (await fetch(service.metricsUrl!)).text();
      assert.match(metrics, /warbler_upload_refusals_total\{backend="[a-z0-9-]+",reason="quota"\} 1/);
    });

    test("deleting an account erases its files at the next sweep, and only its files", async () => {
      const kept = slot(carol);
      assert.equal((await put(kept, randomBytes(10))).status, 201);
      assert.equal(await service.sweep(), 0, "nothing to erase while every owner has an account");
      await sql(owner, [`DELETE FROM users WHERE username = '${bob}'`]);
      // Another replica sweeping now holds the lock: this one leaves the work to it.
      const other = new Client(uploadLogin);
      await other.connect();
      try {
        await other.query("SELECT pg_advisory_lock($1)", [0x77617262]);
        assert.equal(await service.sweep(), 0, "two replicas swept at once");
        assert.ok(await store.head(bobsFiles[0]), "a file was erased while another replica held the sweep");
      } finally {
        await other.end();
      }
      assert.equal(await service.sweep(), bobsFiles.length);
      for (const key of bobsFiles) {
        assert.equal((await fetch(`${service.url}/${key}`)).status, 404);
        assert.equal(await store.head(key), undefined, "deleted from the store, not only hidden");
      }
      assert.equal((await fetch(`${service.url}/${kept}`)).status, 200);
      const metrics = await (await fetch(service.metricsUrl!)).text();
      assert.match(
        metrics,
        new RegExp(`warbler_upload_erased_files_total\\{backend="[a-z0-9-]+"\\} ${bobsFiles.length}`),
      );
      assert.equal(await service.sweep(), 0, "a second sweep finds nothing");
    });

    test("an account deleted and registered again does not inherit the earlier account's files", async () => {
      const before = slot(alice);
      assert.equal((await put(before, randomBytes(10))).status, 201);
      await sql(owner, [
        `DELETE FROM users WHERE username = '${alice}'`,
        // created_at is now() of the new row: later than every file of the earlier account.
        `INSERT INTO users (username, server_host, password) VALUES ('${alice}', '${domain}', 'y')`,
      ]);
      assert.ok((await service.sweep()) >= 1);
      assert.equal((await fetch(`${service.url}/${before}`)).status, 404);
      const after = slot(alice);
      assert.equal((await put(after, randomBytes(10))).status, 201);
      assert.equal(await service.sweep(), 0, "the new account's own file stays");
      assert.equal((await fetch(`${service.url}/${after}`)).status, 200);
    });

    test("every request is logged as one record without the token", () => {
      assert.ok(records.length > 10);
      const text = JSON.stringify(records);
      assert.doesNotMatch(text, /v=[0-9a-f]{64}/);
      assert.doesNotMatch(text, new RegExp(secret));
    });
  });
}

async function sql(login: PostgresLogin, statements: string[]): Promise<unknown[]> {
  const client = new Client(login);
  await client.connect();
  try {
    const results = [];
    for (const s of statements) results.push((await client.query(s)).rowCount);
    return results;
  } finally {
    await client.end();
  }
}

/** Sends `sent` of a declared `declared` bytes, then drops the connection; resolves with the status, if any. */
function shortPut(url: string, declared: number, sent: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: "PUT", headers: { "Content-Length": String(declared) } });
    req.on("response", (res) => resolve(res.statusCode));
    req.on("error", () => resolve(undefined));
    req.write(randomBytes(sent), () => setTimeout(() => req.destroy(), 200));
  });
}
