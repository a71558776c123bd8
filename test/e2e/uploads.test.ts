import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { localObjectStoreKinds, storeFor } from "../../local/object-store";
import { type LocalIm, startLocalIm } from "../../local/runner";
import { callApi, type Element, login, type Session, trustCertificate, xmppLib } from "./xmpp-client";

/**
 * XEP-0363 file sharing through the whole local stack, once per object store: the Debian ejabberd 23.01 hands out
 * slots with mod_http_upload's external_secret, Warbler's upload service (charts/im/upload/) checks them and
 * streams the bytes into Azurite (the Azure Blob path) or s3rver (the S3 and OSS path).
 */

const MiB = 1024 * 1024;

interface Slot {
  put: string;
  get: string;
  headers: Record<string, string>;
}

async function requestSlot(session: Session, domain: string, name: string, size: number): Promise<Slot | Element> {
  const { xml } = await xmppLib();
  const request = xml(
    "iq",
    { type: "get", to: `upload.${domain}` },
    xml("request", {
      xmlns: "urn:xmpp:http:upload:0",
      filename: name,
      size: String(size),
      "content-type": "application/octet-stream",
    }),
  );
  let answer: Element;
  try {
    answer = await session.xmpp.iqCaller.request(request);
  } catch (err) {
    // An error reply rejects with the stanza as `element`.
    const element = (err as { element?: Element }).element;
    if (element) return element;
    throw err;
  }
  const slot = answer.getChild("slot");
  const put = slot?.getChild("put");
  const headers: Record<string, string> = { "content-type": "application/octet-stream" };
  for (const h of put?.getChildren("header") ?? []) headers[h.attrs.name] = h.text();
  return { put: String(put?.attrs.url), get: String(slot?.getChild("get")?.attrs.url), headers };
}

const isSlot = (s: Slot | Element): s is Slot => typeof (s as Slot).put === "string" && (s as Slot).put !== "undefined";

async function slotFor(session: Session, domain: string, name: string, size: number): Promise<Slot> {
  const slot = await requestSlot(session, domain, name, size);
  assert.ok(isSlot(slot), `no slot: ${slot.toString()}`);
  return slot;
}

const putBytes = (slot: Slot, bytes: Buffer, url = slot.put) =>
  fetch(url, { method: "PUT", headers: slot.headers, body: bytes });

for (const kind of localObjectStoreKinds) {
  describe(`file sharing through ejabberd and the upload service, stored in ${kind}`, { timeout: 120_000 }, () => {
    let im: LocalIm;
    let untrust: () => void;
    let alice: Session;
    const password = randomBytes(12).toString("base64url");

    before(async () => {
      im = await startLocalIm({ objectStore: kind, maxUploadMb: 1, uploadQuotaMb: 2 });
      untrust = trustCertificate([im.domain, "127.0.0.1"], im.certificate);
      const registered = await callApi(im, "register", { user: "alice", host: im.domain, password });
      assert.equal(registered.status, 200, JSON.stringify(registered.answer));
      alice = await login(im.c2sTls, im.domain, "alice", password);
    });

    after(async () => {
      await alice?.stop();
      untrust?.();
      await im?.stop();
    });

    it("stores a file and serves the same bytes to a client holding only the link", async () => {
      const bytes = randomBytes(300_000);
      const slot = await slotFor(alice, im.domain, "report.pdf.bin", bytes.length);
      assert.ok(slot.put.startsWith(`${im.upload}/`) && slot.get.startsWith(`${im.upload}/`), slot.put);
      const stored = await putBytes(slot, bytes);
      assert.equal(stored.status, 201, await stored.text());
      const fetched = await fetch(slot.get);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.headers.get("x-content-type-options"), "nosniff");
      assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), bytes);
    });

    it("refuses a tampered token, a size other than the signed one, and a second PUT to a used slot", async () => {
      const bytes = randomBytes(1000);
      const slot = await slotFor(alice, im.domain, "note.bin", bytes.length);
      const url = new URL(slot.put);
      const token = url.searchParams.get("v") ?? "";
      assert.match(token, /^[0-9a-f]{64}$/, "ejabberd did not sign the slot");
      url.searchParams.set("v", (token[0] === "0" ? "1" : "0") + token.slice(1));
      assert.equal((await putBytes(slot, bytes, url.toString())).status, 403);
      const otherPath = slot.put.replace("/note.bin?", "/other.bin?");
      assert.equal((await putBytes(slot, bytes, otherPath)).status, 403);
      assert.equal((await putBytes(slot, Buffer.concat([bytes, bytes]))).status, 403);
      assert.equal((await fetch(slot.get)).status, 404, "a refused upload left an object behind");
      assert.equal((await putBytes(slot, bytes)).status, 201);
      // ejabberd's token carries no time (XEP-0363 slots are capability URLs), so a used slot cannot be used again.
      assert.equal((await putBytes(slot, bytes)).status, 409);
    });

    // The service's own size check, for a token signed for a larger size, is in upload-service.test.ts.
    it("refuses a slot for a file over the size limit, telling the client the limit", async () => {
      const refused = await requestSlot(alice, im.domain, "big.bin", MiB + 1);
      assert.ok(!isSlot(refused), "ejabberd handed out a slot over max_size");
      const tooLarge = refused.getChild("file-too-large", "urn:xmpp:http:upload:0");
      assert.equal(tooLarge?.getChildText("max-file-size"), String(MiB), refused.toString());
    });

    it("refuses an upload over the user's quota", async () => {
      // 300 kB already stored, plus 2 KB; two files of 1 MiB exceed the 2 MiB quota.
      const first = await slotFor(alice, im.domain, "one.bin", MiB);
      assert.equal((await putBytes(first, randomBytes(MiB))).status, 201);
      const second = await slotFor(alice, im.domain, "two.bin", MiB);
      const over = await putBytes(second, randomBytes(MiB));
      assert.equal(over.status, 413);
      assert.match(await over.text(), /quota/);
    });

    it("deletes a user's files when the account is deleted (right to erasure)", async () => {
      const slot = await slotFor(alice, im.domain, "keep.bin", 10);
      assert.equal((await putBytes(slot, randomBytes(10))).status, 201);
      const key = decodeURIComponent(new URL(slot.get).pathname.slice(1));
      assert.ok(await storeFor(im.objectStoreAccess).head(key));
      await alice.stop();
      const removed = await callApi(im, "unregister", { user: "alice", host: im.domain });
      assert.equal(removed.status, 200, JSON.stringify(removed.answer));
      assert.ok((await im.uploadService.sweep()) >= 3, "the sweep deleted fewer files than alice stored");
      assert.equal((await fetch(slot.get)).status, 404);
      assert.equal(await storeFor(im.objectStoreAccess).head(key), undefined, "the object is still in the store");
    });
  });
}
