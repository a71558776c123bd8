import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { renderEjabberdConfig } from "../../charts/im/ejabberd-config";
import { type LocalIm, startLocalIm } from "../../local/runner";

/**
 * A forged X-Forwarded-For does not reach the admin API, on the real ejabberd 23.01 (Debian).
 *
 * The design (docs/im.md, "Admin access"): ejabberd believes no X-Forwarded-For (the one renderer writes no
 * `trusted_proxies`, whose default is an empty list: docs.ejabberd.im/admin/configuration/toplevel/#trusted-proxies),
 * so /api's `admin_network` check sees the connecting address (in the cluster, the client's own, from the Gateway's
 * PROXY v2 header on its listener: test/e2e/proxy-protocol.test.ts). Here loopback stands in: 127.0.0.1 is the allowed
 * source (the local profile's admin network) and 127.0.0.2, any other loopback address, plays another pod that claims
 * to be 127.0.0.1.
 */

interface Answer {
  status: number;
  body: string;
}

/** POST /api/<command> as the administrator, from a chosen source address, with extra headers. */
function callApi(
  im: LocalIm,
  command: string,
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(`${im.api}/${command}`);
  const auth = Buffer.from(`${im.admin.jid}:${im.admin.password}`).toString("base64");
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress,
        headers: { authorization: `Basic ${auth}`, "content-type": "application/json", ...headers },
        timeout: 10_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`POST ${url} from ${localAddress} timed out`)));
    req.end("{}");
  });
}

describe("X-Forwarded-For and the admin API (real ejabberd)", { timeout: 120_000 }, () => {
  let im: LocalIm;
  before(async () => {
    im = await startLocalIm({ sessions: 200 });
  });
  after(() => im?.stop(), { timeout: 60_000 });

  it("renders no trusted_proxies and admits /api from loopback only", () => {
    const rendered = parse(
      renderEjabberdConfig({
        profile: "local",
        domain: "localhost",
        certFile: "/c.pem",
        secretsFile: "/s.yml",
        sql: { host: "127.0.0.1", port: 5432, database: "e", username: "e" },
        admins: ["admin@localhost"],
        adminCidrs: ["127.0.0.1/32"],
        uploads: { baseUrl: "http://127.0.0.1:1/u" },
      }),
    );
    assert.equal(rendered.trusted_proxies, undefined);
    assert.deepEqual(rendered.acl.admin_network.ip, ["127.0.0.1/32"]);
  });

  it("accepts the administrator from the allowed address", async () => {
    const answer = await callApi(im, "status", "127.0.0.1");
    assert.equal(answer.status, 200, answer.body);
  });

  it("accepts the administrator from the allowed address whatever X-Forwarded-For claims", async () => {
    const answer = await callApi(im, "status", "127.0.0.1", { "x-forwarded-for": "198.51.100.7" });
    assert.equal(answer.status, 200, answer.body);
  });

  it("refuses the administrator from another address that forges X-Forwarded-For: 127.0.0.1", async () => {
    const forgeries: Record<string, string>[] = [
      { "x-forwarded-for": "127.0.0.1" },
      { "x-forwarded-for": "127.0.0.1, 127.0.0.2" },
      { "x-real-ip": "127.0.0.1", "x-forwarded-for": "127.0.0.1" },
    ];
    for (const forged of forgeries) {
      const answer = await callApi(im, "status", "127.0.0.2", forged);
      assert.ok(
        answer.status === 401 || answer.status === 403,
        `${JSON.stringify(forged)}: ${answer.status} ${answer.body}`,
      );
      assert.doesNotMatch(answer.body, /is started/);
    }
  });

  it("refuses that other address without any header too (the check is the address)", async () => {
    const answer = await callApi(im, "status", "127.0.0.2");
    assert.ok(answer.status === 401 || answer.status === 403, `${answer.status} ${answer.body}`);
  });
  // The control: the same request passes once ejabberd is told to believe the sender's header, as the old cluster
  // config did for the whole pod and VPC ranges. So the refusals above come from not trusting the header, and this
  // test would catch a renderer that writes trusted_proxies again.
  it("control: trusting the sender (the old trusted_proxies) lets the forged header through", async () => {
    const file = join(im.dir, "ejabberd", "conf", "ejabberd.yml");
    const original = readFileSync(file, "utf8");
    try {
      writeFileSync(file, `${original}\ntrusted_proxies:\n  - "127.0.0.2/32"\n`);
      await im.ejabberd.ctl(["reload_config"]);
      const answer = await callApi(im, "status", "127.0.0.2", { "x-forwarded-for": "127.0.0.1" });
      assert.equal(answer.status, 200, answer.body);
    } finally {
      writeFileSync(file, original);
      await im.ejabberd.ctl(["reload_config"]);
    }
    const after = await callApi(im, "status", "127.0.0.2", { "x-forwarded-for": "127.0.0.1" });
    assert.ok(after.status === 401 || after.status === 403, `${after.status} ${after.body}`);
  });
});
