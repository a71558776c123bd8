import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { type Exporter, startExporter } from "../../../charts/im/exporter/exporter";
import { renderPrometheus } from "../../../charts/im/exporter/metrics";

describe("renderPrometheus", () => {
  it("writes one HELP and TYPE per metric, then its samples with escaped labels", () => {
    const text = renderPrometheus([
      { metric: "a_total", help: "A.", type: "counter", labels: { cmd: 'say "hi"\\' }, value: 3 },
      { metric: "a_total", help: "A.", type: "counter", labels: { cmd: "x" }, value: 0 },
      { metric: "b", help: "B.", type: "gauge", value: Number.NaN },
    ]);
    assert.equal(
      text,
      '# HELP a_total A.\n# TYPE a_total counter\na_total{cmd="say \\"hi\\"\\\\"} 3\na_total{cmd="x"} 0\n# ' +
        "HELP b B.\n# TYPE b gauge\nb NaN\n",
    );
  });
});

describe("startExporter against a stand-in API", () => {
  let api: Server;
  let exporter: Exporter;
  let failing = false;
  const seenAuth: string[] = [];

  before(async () => {
    api = createServer((req, res) => {
      seenAuth.push(String(req.headers.authorization));
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        if (failing) return void res.writeHead(500).end(JSON.stringify({ status: "error" }));
        const name = body ? (JSON.parse(body) as { name?: string }).name : undefined;
        const answers: Record<string, unknown> = {
          registeredusers: { stat: 42 },
          onlineusers: { stat: 7 },
          onlineusersnode: { stat: 5 },
          uptimeseconds: { stat: 100 },
          processes: { stat: 900 },
        };
        const answer = req.url === "/api/list_cluster" ? ["a@n1", "b@n2"] : answers[name ?? ""];
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((ok) => api.listen(0, "127.0.0.1", ok));
    const { port } = api.address() as AddressInfo;
    exporter = await startExporter({
      apiUrl: `http://127.0.0.1:${port}/api`,
      user: "metrics@example.com",
      password: "pw",
      port: 0,
    });
  });

  after(async () => {
    await exporter.close();
    await new Promise((ok) => api.close(ok));
  });

  it("turns the API's stats and cluster list into gauges, logging in with basic auth", async () => {
    const text = await (await fetch(exporter.url)).text();
    for (const line of [
      "ejabberd_registered_users 42",
      "ejabberd_online_users 7",
      "ejabberd_node_online_users 5",
      "ejabberd_uptime_seconds 100",
      "ejabberd_erlang_processes 900",
      "ejabberd_cluster_nodes 2",
      "ejabberd_up 1",
    ]) {
      assert.ok(text.split("\n").includes(line), `missing "${line}" in:\n${text}`);
    }
    assert.equal(seenAuth[0], `Basic ${Buffer.from("metrics@example.com:pw").toString("base64")}`);
  });

  it("reports ejabberd_up 0 and counts errors per call when the API fails, without inventing values", async () => {
    failing = true;
    try {
      const text = await (await fetch(exporter.url)).text();
      assert.match(text, /^ejabberd_up 0$/m);
      assert.match(text, /^ejabberd_exporter_errors_total\{command="stats",name="onlineusers"\} 1$/m);
      assert.match(text, /^ejabberd_exporter_errors_total\{command="list_cluster",name=""\} 1$/m);
      assert.doesNotMatch(text, /^ejabberd_online_users /m);
    } finally {
      failing = false;
    }
  });

  it("serves only GET /metrics", async () => {
    assert.equal((await fetch(exporter.url.replace("/metrics", "/"))).status, 404);
  });
});
