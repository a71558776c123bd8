import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { TLSSocket } from "node:tls";
import { Client } from "pg";
import { waitUntil } from "../../lib/wait";
import { storeFor } from "../../local/object-store";
import { type LocalIm, startLocalIm } from "../../local/runner";
import {
  bodyOf,
  callApi,
  type Element,
  login,
  metricValue,
  type Session,
  trustCertificate,
  xmppLib,
} from "./xmpp-client";

/**
 * The issue's end-to-end list, against the real Debian ejabberd 23.01 and a
 * real PostgreSQL 15 started by `startLocalIm` with the chart's renderer,
 * driven by @xmpp/client. The steps share one server and run in order.
 */

const users = ["alice", "bob", "carol"] as const;
const passwords = Object.fromEntries(users.map((u) => [u, randomBytes(12).toString("base64url")])) as Record<
  (typeof users)[number],
  string
>;

describe("IM service end to end (warbler im local)", { timeout: 120_000 }, () => {
  let im: LocalIm;
  let untrust: () => void;
  const sessions: Session[] = [];
  const track = (s: Session) => {
    sessions.push(s);
    return s;
  };
  const jid = (u: string) => `${u}@${im.domain}`;
  const c2sTls = () => im.c2sTls;

  before(async () => {
    assert.equal(
      typeof WebSocket,
      "function",
      "run this test with node --experimental-websocket (scripts/test.sh passes it)",
    );
    im = await startLocalIm();
    untrust = trustCertificate([im.domain, "127.0.0.1"], im.certificate);
  });

  after(async () => {
    for (const s of sessions) await s.stop();
    untrust?.();
    await im?.stop();
  });

  it("registers users through the admin API, and refuses anonymous and non-admin callers", async () => {
    for (const user of users) {
      const { status, answer } = await callApi(im, "register", { user, host: im.domain, password: passwords[user] });
      assert.equal(status, 200, JSON.stringify(answer));
    }
    const listed = await callApi(im, "registered_users", { host: im.domain });
    assert.deepEqual([...(listed.answer as string[])].sort(), ["admin", ...users].sort());

    const anonymous = await callApi(im, "register", { user: "mallory", host: im.domain, password: "x" }, null);
    assert.notEqual(anonymous.status, 200);
    const nonAdmin = await callApi(
      im,
      "registered_users",
      { host: im.domain },
      { jid: jid("alice"), password: passwords.alice },
    );
    assert.notEqual(nonAdmin.status, 200);
    assert.match(JSON.stringify(nonAdmin.answer), /does not have the right/);
  });

  it("refuses a STARTTLS login when the self-signed certificate is not trusted: verification is on", async () => {
    untrust();
    try {
      await assert.rejects(login(im.c2s, im.domain, "alice", passwords.alice), /self[- ]signed|certificate/i);
    } finally {
      untrust = trustCertificate([im.domain, "127.0.0.1"], im.certificate);
    }
  });

  it("logs in over STARTTLS with the certificate trusted by this test only", async () => {
    const alice = track(await login(im.c2s, im.domain, "alice", passwords.alice, "starttls"));
    const socket = (alice.xmpp as unknown as { socket: { socket: unknown } }).socket.socket;
    assert.ok(socket instanceof TLSSocket, "the stream was upgraded to TLS");
    assert.equal(socket.authorized, true);
    assert.ok(["TLSv1.2", "TLSv1.3"].includes(String(socket.getProtocol())));
    assert.equal(alice.jid, `${jid("alice")}/starttls`);
  });

  it("logs in over direct TLS on the second client port", async () => {
    const carol = await login(c2sTls(), im.domain, "carol", passwords.carol, "direct-tls");
    assert.equal(carol.jid, `${jid("carol")}/direct-tls`);
    await carol.stop();
  });

  it("logs in over WebSocket and delivers a one-to-one message", async () => {
    const { xml } = await xmppLib();
    const bob = track(await login(im.websocket, im.domain, "bob", passwords.bob, "ws"));
    const alice = sessions[0];
    await alice.xmpp.send(
      xml("message", { to: jid("bob"), type: "chat", id: "m1" }, xml("body", {}, "hello bob over websocket")),
    );
    const got = await bob.next((s) => s.is("message") && bodyOf(s) === "hello bob over websocket");
    assert.equal(String(got.attrs.from).split("/")[0], jid("alice"));
  });

  it("keeps a message for a user who is offline and delivers it when they log in", async () => {
    const { xml } = await xmppLib();
    await sessions[0].xmpp.send(
      xml("message", { to: jid("carol"), type: "chat" }, xml("body", {}, "while you were away")),
    );
    // Wait until the server holds it (offline storage is in PostgreSQL), then log carol in.
    const db = new Client({ connectionString: im.database });
    await db.connect();
    try {
      const stored = async () => (await db.query("SELECT 1 FROM spool WHERE username = 'carol'")).rows.length > 0;
      await waitUntil(stored, { what: "the offline message to reach carol's spool", timeoutMs: 5000 });
    } finally {
      await db.end();
    }
    const carol = track(await login(im.c2s, im.domain, "carol", passwords.carol, "later"));
    const got = await carol.next((s) => s.is("message") && bodyOf(s) === "while you were away");
    assert.ok(got.getChild("delay", "urn:xmpp:delay"), "an offline message carries a delay stamp");
  });

  it("runs a group chat room with three members", async () => {
    const { xml } = await xmppLib();
    const room = `team@conference.${im.domain}`;
    const [alice, bob, carol] = sessions;
    for (const [s, nick] of [
      [alice, "alice"],
      [bob, "bob"],
      [carol, "carol"],
    ] as const) {
      await s.xmpp.send(
        xml("presence", { to: `${room}/${nick}` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" })),
      );
      await s.next((p) => p.is("presence") && p.attrs.from === `${room}/${nick}` && !p.attrs.type);
    }
    // The creator must accept the default configuration before others may speak.
    await alice.xmpp.iqCaller.request(
      xml(
        "iq",
        { type: "set", to: room },
        xml(
          "query",
          { xmlns: "http://jabber.org/protocol/muc#owner" },
          xml("x", { xmlns: "jabber:x:data", type: "submit" }),
        ),
      ),
    );
    await alice.xmpp.send(xml("message", { to: room, type: "groupchat" }, xml("body", {}, "hello team")));
    for (const s of [bob, carol]) {
      const got = await s.next((m) => m.is("message") && m.attrs.type === "groupchat" && bodyOf(m) === "hello team");
      assert.equal(got.attrs.from, `${room}/alice`);
    }
  });

  it("returns the archive (MAM) after a reconnect, and the message is in PostgreSQL", async () => {
    const { xml } = await xmppLib();
    const bob = sessions[1];
    await bob.stop();
    const again = track(await login(im.websocket, im.domain, "bob", passwords.bob, "again"));
    const queryid = "q1";
    const result = await again.xmpp.iqCaller.request(
      xml(
        "iq",
        { type: "set", id: "mam1" },
        xml(
          "query",
          { xmlns: "urn:xmpp:mam:2", queryid },
          xml(
            "x",
            { xmlns: "jabber:x:data", type: "submit" },
            xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "urn:xmpp:mam:2")),
            xml("field", { var: "with" }, xml("value", {}, jid("alice"))),
          ),
        ),
      ),
    );
    assert.equal(result.getChild("fin", "urn:xmpp:mam:2")?.attrs.complete, "true");
    const archived = again.received
      .map((s) => s.getChild("result", "urn:xmpp:mam:2"))
      .filter((r): r is Element => r?.attrs.queryid === queryid)
      .map((r) => r.getChild("forwarded", "urn:xmpp:forward:0")?.getChild("message"))
      .map((m) => (m ? bodyOf(m) : undefined));
    assert.ok(archived.includes("hello bob over websocket"), `archive: ${JSON.stringify(archived)}`);

    const db = new Client({ connectionString: im.database });
    await db.connect();
    try {
      const { rows } = await db.query("SELECT username, bare_peer FROM archive WHERE txt = $1 ORDER BY username", [
        "hello bob over websocket",
      ]);
      assert.deepEqual(rows, [
        { username: "alice", bare_peer: jid("bob") },
        { username: "bob", bare_peer: jid("alice") },
      ]);
    } finally {
      await db.end();
    }
  });

  it(
    "hands out an upload slot (XEP-0363); the upload service stores the bytes in the object store, and a client " +
      "without credentials GETs them back",
    async () => {
      const { xml } = await xmppLib();
      const alice = sessions[0];
      const bytes = randomBytes(50_000);
      const slot = await alice.xmpp.iqCaller.request(
        xml(
          "iq",
          { type: "get", to: `upload.${im.domain}` },
          xml("request", {
            xmlns: "urn:xmpp:http:upload:0",
            filename: "photo.bin",
            size: String(bytes.length),
            "content-type": "application/octet-stream",
          }),
        ),
      );
      const put = slot.getChild("slot")?.getChild("put");
      const getUrl = slot.getChild("slot")?.getChild("get")?.attrs.url as string;
      assert.ok(put && getUrl, slot.toString());
      assert.ok(String(put.attrs.url).startsWith(`${im.upload}/`), put.attrs.url);
      const headers: Record<string, string> = { "content-type": "application/octet-stream" };
      for (const h of put.getChildren("header")) headers[h.attrs.name] = h.text();
      const stored = await fetch(put.attrs.url, { method: "PUT", headers, body: bytes });
      assert.equal(stored.status, 201, await stored.text());
      // A second client, with nothing but the shared link.
      const fetched = await fetch(getUrl);
      assert.equal(fetched.status, 200);
      assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), bytes);
      const key = decodeURIComponent(new URL(getUrl).pathname.slice(1));
      const object = await storeFor(im.objectStoreAccess).get(key);
      assert.ok(object, `no object ${key} in the ${im.objectStore} store`);
      const chunks: Buffer[] = [];
      for await (const chunk of object.body) chunks.push(chunk as Buffer);
      assert.deepEqual(Buffer.concat(chunks), bytes);
    },
  );

  it("reports registered users, connected users and stats on the admin API", async () => {
    const registered = await callApi(im, "stats", { name: "registeredusers" });
    assert.deepEqual(registered.answer, { stat: 4 });
    const connected = await callApi(im, "connected_users", {});
    const online = (connected.answer as string[]).map((full) => full.split("/")[0]).sort();
    assert.deepEqual(online, [jid("alice"), jid("bob"), jid("carol")]);
    const onlineStat = await callApi(im, "stats", { name: "onlineusers" });
    assert.deepEqual(onlineStat.answer, { stat: 3 });
  });

  it("refuses the web admin to anonymous and ordinary users and opens it to the administrator", async () => {
    const page = `${im.api.replace(/\/api$/, "")}/admin/server/${im.domain}/users/`;
    const basic = (user: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
    });
    assert.equal((await fetch(page)).status, 401);
    assert.equal((await fetch(page, { headers: basic(jid("alice"), passwords.alice) })).status, 401);
    const admin = await fetch(page, { headers: basic(im.admin.jid, im.admin.password) });
    assert.equal(admin.status, 200);
    assert.match(await admin.text(), /alice/);
  });

  it("reports the logged-in users and the archive on the metrics endpoint", async () => {
    const text = await (await fetch(im.metrics)).text();
    assert.equal(metricValue(text, "ejabberd_up"), 1);
    assert.equal(metricValue(text, "ejabberd_online_users"), 3);
    assert.equal(metricValue(text, "ejabberd_node_online_users"), 3);
    assert.equal(metricValue(text, "ejabberd_registered_users"), 4);
    assert.equal(metricValue(text, "ejabberd_cluster_nodes"), 1);
    assert.equal(metricValue(text, "ejabberd_database_up"), 1);
    assert.ok((metricValue(text, "ejabberd_archived_messages_total") ?? 0) >= 2);
  });
});
