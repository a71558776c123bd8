import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { connect } from "node:tls";
import { databaseTlsMetrics, exporterMetrics } from "../../charts/im/exporter/catalogue";
import { waitUntil } from "../../lib/wait";
import { type LocalIm, startLocalIm } from "../../local/runner";
import { runCli } from "../support/cli";
import { type LocalPrometheus, startPrometheus } from "./prometheus";
import { callApi, login, type Session, trustCertificate, xmppLib } from "./xmpp-client";

/**
 * The proof that the numbers are real: `warbler im local` (Debian's ejabberd 23.01, PostgreSQL 15), N users
 * log in and send M messages (one-to-one and in a room), a real Prometheus (Debian's) scrapes the exporter, and both
 * PromQL and `warbler analytics --json` report exactly N active users and M messages.
 */

const users = ["ana", "ben", "cai", "dee"] as const;
const N = users.length;
const passwords = Object.fromEntries(users.map((u) => [u, randomBytes(12).toString("base64url")]));
/** One-to-one messages: [from, to]. Each is archived twice (once per party) and must count once. */
const direct: [number, number][] = [
  [0, 1],
  [1, 0],
  [0, 2],
  [2, 3],
  [3, 0],
];
/** The users who join the one room: the first three. */
const occupants = [0, 1, 2];
/** Group messages, by the index of the sender: two of the occupants send, the third only reads. */
const group = [0, 1, 0];
/** Members of the active room: its distinct senders, not its occupants. */
const roomMembers = new Set(group).size;
const M = direct.length + group.length;
const failedLogins = 2;

/** A login with a wrong password over direct TLS (SASL PLAIN), as a client would fail one. */
function failLogin(im: LocalIm, user: string): Promise<void> {
  const { hostname, port } = new URL(im.c2sTls.replace("xmpps:", "http:"));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), servername: im.domain, ca: [im.certificate] });
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`no SASL answer; got ${seen}`)), 10_000);
    socket.on("error", reject);
    socket.on("secureConnect", () =>
      socket.write(
        `<?xml version='1.0'?><stream:stream to='${im.domain}' xmlns='jabber:client' ` +
          "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
      ),
    );
    socket.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes("</stream:features>") && !seen.includes("<auth-sent/>")) {
        seen += "<auth-sent/>";
        const plain = Buffer.from(`\0${user}\0not-the-password`).toString("base64");
        socket.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain}</auth>`);
      }
      if (seen.includes("<failure")) {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      }
    });
  });
}

describe("analytics end to end: ejabberd, the exporter, Prometheus and warbler analytics", { timeout: 90_000 }, () => {
  let im: LocalIm;
  let prometheus: LocalPrometheus;
  let untrust: () => void;
  const sessions: Session[] = [];

  /** Waits until a PromQL expression's single value equals `expected` (Prometheus scrapes every second). */
  const promEquals = (expr: string, expected: number) =>
    waitUntil(
      async () => {
        const result = await prometheus.query(expr);
        if (result.length !== 1 || result[0].value !== expected)
          throw new Error(`${expr} = ${JSON.stringify(result.map((r) => r.value))}, want ${expected}`);
        return true;
      },
      { what: `${expr} == ${expected}`, timeoutMs: 15_000, intervalMs: 500 },
    );
  const analytics = async (args: string[]) => {
    const result = await runCli(["analytics", "--database-url", im.analyticsDatabase, ...args]);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };

  before(async () => {
    // Roll up on every scrape, so the daily counts follow within a scrape instead of five minutes.
    im = await startLocalIm({ analyticsRollupSeconds: 0 });
    untrust = trustCertificate([im.domain, "127.0.0.1"], im.certificate);
    prometheus = await startPrometheus(im.metrics);
    for (const user of users) {
      const { status, answer } = await callApi(im, "register", { user, host: im.domain, password: passwords[user] });
      assert.equal(status, 200, JSON.stringify(answer));
    }
  });

  after(async () => {
    for (const s of sessions) await s.stop();
    untrust?.();
    await prometheus?.stop();
    await im?.stop();
  });

  it("counts N logins, the failed ones apart, and N active users, in PromQL", async () => {
    for (const user of users) sessions.push(await login(im.c2sTls, im.domain, user, passwords[user]));
    for (let i = 0; i < failedLogins; i++) await failLogin(im, users[0]);
    await promEquals("sum(ejabberd_logins_total)", N);
    await promEquals("sum(ejabberd_login_failures_total)", failedLogins);
    await promEquals('sum(warbler_active_users{window="day"})', N);
    await promEquals('sum(warbler_active_users{window="month"})', N);
    await promEquals("max(ejabberd_online_users)", N);
    await promEquals(`max(ejabberd_domain_online_users{domain="${im.domain}"})`, N);
  });

  it("counts M messages, each one-to-one message once although the archive holds two copies", async () => {
    const { xml } = await xmppLib();
    const jid = (i: number) => `${users[i]}@${im.domain}`;
    for (const [n, [from, to]] of direct.entries()) {
      const body = `direct ${n}`;
      await sessions[from].xmpp.send(xml("message", { to: jid(to), type: "chat" }, xml("body", {}, body)));
      await sessions[to].next((s) => s.is("message") && s.getChildText("body") === body);
    }
    const room = `stand-up@conference.${im.domain}`;
    for (const i of occupants) {
      const nick = `${users[i]}-nick`;
      await sessions[i].xmpp.send(
        xml("presence", { to: `${room}/${nick}` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" })),
      );
      await sessions[i].next((s) => s.is("presence") && s.attrs.from === `${room}/${nick}`);
    }
    for (const [n, i] of group.entries()) {
      const body = `group ${n}`;
      await sessions[i].xmpp.send(xml("message", { to: room, type: "groupchat" }, xml("body", {}, body)));
      await sessions[0].next((s) => s.is("message") && s.getChildText("body") === body);
    }
    await promEquals("sum(warbler_messages_total)", M);
    await promEquals('sum(warbler_messages_total{type="one_to_one"})', direct.length);
    await promEquals('sum(warbler_messages_total{type="group"})', group.length);
    await promEquals("sum(warbler_active_rooms)", 1);
    await promEquals("max(warbler_active_room_members)", roomMembers);
    // The archive really holds each one-to-one message twice: the counting rule is what makes it M.
    await promEquals("max(ejabberd_archived_messages_total)", 2 * direct.length + group.length);
  });

  it("serves every metric of the exporter's catalogue, which dashboards and rules are held to", async () => {
    const text = await (await fetch(im.metrics)).text();
    const served = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    assert.deepEqual(
      // The local runner's database connection is plain; test/e2e/exporter-database-tls.test.ts covers the rest.
      exporterMetrics.filter((name) => !served.has(name) && !databaseTlsMetrics.includes(name)),
      [],
    );
    assert.deepEqual(
      [...served].filter((name) => !(exporterMetrics as readonly string[]).includes(name)),
      [],
      "a metric the catalogue (and so docs/analytics.md) does not list",
    );
  });

  it("reports the same N and M through warbler analytics --json, and a table by default", async () => {
    // Both runs at once: each starts the CLI, which takes seconds on a busy machine.
    const [json, table] = await Promise.all([analytics(["--since", "1d", "--json"]), analytics(["--since", "30d"])]);
    const report = JSON.parse(json);
    assert.equal(report.dau, N);
    assert.equal(report.mau, N);
    assert.equal(report.activeUsers, N);
    assert.deepEqual(report.messages, { total: M, oneToOne: direct.length, group: group.length });
    assert.equal(report.peakConcurrent, N);
    assert.equal(report.activeRoomMembers, roomMembers);
    assert.deepEqual(report.topRooms, [
      { room: `stand-up@conference.${im.domain}`, messages: group.length, members: roomMembers },
    ]);
    assert.equal(report.days.length, 1);
    assert.equal(report.days[0].active_users, N);
    assert.equal(report.days[0].active_room_members, roomMembers);
    assert.match(table, new RegExp(`daily active users \\(today\\)\\s+${N}\\n`));
    assert.match(table, new RegExp(`messages\\s+${M} \\(one-to-one ${direct.length}, group ${group.length}\\)`));
    assert.match(table, new RegExp(`members of active rooms\\s+${roomMembers}\\n`));
    assert.match(table, new RegExp(`stand-up@conference\\.localhost\\s+${group.length} \\(${roomMembers} members\\)`));
  });

  it("forgets a deleted account's activity and counts the deletion, with the rollup rewritten in place", async () => {
    // A sender in the room: ejabberd keeps the room's archive, and the member counts must still forget the account.
    const gone = 1;
    await sessions[gone].stop();
    const { status } = await callApi(im, "unregister", { user: users[gone], host: im.domain });
    assert.equal(status, 200);
    await promEquals('sum(warbler_active_users{window="day"})', N - 1);
    await promEquals("sum(warbler_deleted_accounts)", 1);
    await promEquals("max(warbler_active_room_members)", roomMembers - 1);
    const report = JSON.parse(await analytics(["--since", "1d", "--json"]));
    assert.equal(report.dau, N - 1);
    assert.equal(report.activeRoomMembers, roomMembers - 1);
    assert.equal(report.days.length, 1, "one row per day however many rollups ran");
    assert.equal(report.days[0].deleted_accounts, 1);
    assert.equal(report.days[0].active_room_members, roomMembers - 1);
  });
});
