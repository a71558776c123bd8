import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { turnServices } from "../../../charts/im/ejabberd-config";
import { type EturnalSpec, renderEturnalConfig } from "../../../charts/im/eturnal-config";
import { ALICLOUD_TURN_RELAY_MAX_PORTS, alicloudConfigIssues } from "../../../components/alicloud/config-rules";
import { AWS_TURN_RELAY_MAX_PORTS, awsConfigIssues } from "../../../components/aws/config-rules";
import { AZURE_TURN_RELAY_MAX_PORTS, azureConfigIssues } from "../../../components/azure/config-rules";
import { requestedTurnRelayPorts } from "../../../config/im";
import { ConfigError, loadConfig } from "../../../config/load";
import type { PartialPlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";

/**
 * eturnal.yml rendering and the TURN config keys.
 *
 * Sources: eturnal's option names and defaults (processone/eturnal doc/overview.edoc "Global Configuration";
 * src/eturnal_yaml.erl, whose `tls_crt_file` is `file(read)`: a named file must exist, so TLS files are only written
 * when the chart mounts them); `transport: auto` (CHANGELOG 1.6.0); `blacklist_peers` (CHANGELOG 1.12.0);
 * `mod_stats_prometheus` options ip/port/tls/vm_metrics (config/eturnal.yml, 1.10+).
 * Listener caps: AWS "Listeners per Network Load Balancer: 50, not adjustable"
 * (docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html); Alibaba "Number of listeners
 * per CLB instance: 50" (help.aliyun.com/en/slb/classic-load-balancer/product-overview/limits-1); Azure 300 rules per
 * node NIC, one per Service IP:port (kubernetes-sigs.github.io/cloud-provider-azure/topics/multislb).
 */

const spec: EturnalSpec = {
  relayIpv4: "203.0.113.10",
  relayPorts: [50000, 50039],
  realm: "chat.example.com",
  udpPort: 3478,
  streamPort: 5349,
  metricsPort: 8081,
};

describe("renderEturnalConfig", () => {
  const yml = parse(renderEturnalConfig(spec)).eturnal;

  it("listens on UDP and plain TCP, IPv4, and holds no secret", () => {
    assert.deepEqual(yml.listen, [
      { ip: "0.0.0.0", port: 3478, transport: "udp" },
      { ip: "0.0.0.0", port: 5349, transport: "tcp" },
    ]);
    assert.equal(yml.secret, undefined);
    assert.equal(yml.tls_crt_file, undefined);
  });

  it("announces the given relay address and range, and logs to stdout", () => {
    assert.equal(yml.relay_ipv4_addr, "203.0.113.10");
    assert.equal(yml.relay_min_port, 50000);
    assert.equal(yml.relay_max_port, 50039);
    assert.equal(yml.log_dir, "stdout");
    assert.equal(yml.realm, "chat.example.com");
  });

  it("turns on the Prometheus endpoint on the metrics port", () => {
    assert.deepEqual(yml.modules.mod_stats_prometheus, { ip: "0.0.0.0", port: 8081, tls: false, vm_metrics: true });
  });

  it("takes TCP and TLS on one port when TLS files are given", () => {
    const tls = parse(renderEturnalConfig({ ...spec, tls: { certFile: "/t/tls.crt", keyFile: "/t/tls.key" } })).eturnal;
    assert.equal(tls.listen[1].transport, "auto");
    assert.equal(tls.tls_crt_file, "/t/tls.crt");
    assert.equal(tls.tls_key_file, "/t/tls.key");
  });

  it("leaves the relay address out when none is given (eturnal then detects it)", () => {
    const { relayIpv4: _, ...rest } = spec;
    assert.equal(parse(renderEturnalConfig(rest)).eturnal.relay_ipv4_addr, undefined);
  });

  const bad: [string, Partial<EturnalSpec>, string][] = [
    ["a relay range below 1024", { relayPorts: [1000, 1010] }, "relayPorts"],
    ["a reversed relay range", { relayPorts: [50010, 50000] }, "relayPorts"],
    ["a relay port above 65535", { relayPorts: [65530, 65540] }, "relayPorts"],
    ["an empty relay address", { relayIpv4: "" }, "relayIpv4"],
    ["a relay address with spaces", { relayIpv4: "203.0.113.10 203.0.113.11" }, "relayIpv4"],
    ["metrics on the TURN stream port", { metricsPort: 5349 }, "metricsPort"],
    ["an empty realm", { realm: "" }, "realm"],
  ];
  for (const [what, change, key] of bad) {
    it(`refuses ${what}, naming '${key}'`, () => {
      assert.throws(() => renderEturnalConfig({ ...spec, ...change }), new RegExp(`'${key}'`));
    });
  }
});

describe("turnServices (mod_stun_disco)", () => {
  it("announces UDP, TCP and TLS, with the certificate's name for turns", () => {
    const services = turnServices({
      host: "203.0.113.10",
      port: 3478,
      tcpPort: 443,
      tls: { host: "turn.chat.example.com", port: 443 },
    }).map((s) => [s.host, s.port, String(s.type), String(s.transport), s.restricted]);
    assert.deepEqual(services, [
      ["203.0.113.10", 3478, "turn", "udp", true],
      ["203.0.113.10", 443, "turn", "tcp", true],
      ["turn.chat.example.com", 443, "turns", "tcp", true],
    ]);
  });

  it("announces UDP alone when nothing else is offered", () => {
    assert.equal(turnServices({ host: "203.0.113.10" }).length, 1);
  });

  // The real option validator of Debian's ejabberd 23.01 (mod_stun_disco:mod_opt_type(services) through yconf), not
  // our reading of its docs: it takes type turn/turns with transport udp/tcp, and refuses transport "tls".
  it("passes ejabberd 23.01's own validator for mod_stun_disco services", () => {
    const ebin = "/usr/lib/x86_64-linux-gnu/ejabberd-23.01-1/ebin";
    assert.ok(existsSync(ebin), `${ebin} is missing: run scripts/system-deps.sh`);
    const erlBinary = (v: unknown) => `<<"${String(v)}">>`;
    const term = (services: Record<string, unknown>[]) =>
      `[${services
        .map(
          (s) =>
            `[${Object.entries(s)
              .map(
                ([k, v]) => `{${erlBinary(k)},${typeof v === "number" || typeof v === "boolean" ? v : erlBinary(v)}}`,
              )
              .join(",")}]`,
        )
        .join(",")}]`;
    const ours = turnServices({
      host: "203.0.113.10",
      port: 3478,
      tcpPort: 443,
      tls: { host: "turn.chat.example.com", port: 443 },
    });
    const validate = (services: Record<string, unknown>[]) => {
      const program =
        `V = mod_stun_disco:mod_opt_type(services), ` +
        `case catch yconf:validate(V, ${term(services)}) of ` +
        `{ok, _} -> io:format("ok"); E -> io:format("~p", [E]) end, ` +
        "halt().";
      const out = spawnSync("erl", ["-noshell", "-pa", ebin, "-eval", program], { encoding: "utf8", timeout: 30_000 });
      return `${out.stdout}${out.stderr}`.trim();
    };
    assert.equal(validate(ours), "ok");
    assert.match(validate([{ ...ours[2], transport: "tls" }]), /bad_enum/);
  });
});

describe("warbler:im.turnRelayPorts", () => {
  const raw = readStackFile("aws").config;
  const noCloudRules = { configRules: () => [] };
  const load = (im: Record<string, unknown>) =>
    loadConfig(
      { ...raw, "warbler:im": { ...(raw["warbler:im"] as object | undefined), ...im } },
      { cloudRules: { aws: noCloudRules, azure: noCloudRules, alicloud: noCloudRules } },
    );

  it("defaults to 50000-50039 and turnTls and push to off", () => {
    const config = load({});
    assert.ok(config.kind === "platform");
    assert.deepEqual(config.im.turnRelayPorts, { from: 50000, to: 50039 });
    assert.equal(config.im.turnTls, false);
    assert.equal(config.im.push, false);
  });

  const refused: [string, unknown][] = [
    ["a range starting below 1024", { from: 80, to: 90 }],
    ["a reversed range", { from: 50010, to: 50000 }],
    ["a range past 65535", { from: 65530, to: 65600 }],
    ["more than 1000 ports", { from: 50000, to: 51000 }],
    ["a fractional port", { from: 50000.5, to: 50010 }],
  ];
  for (const [what, value] of refused) {
    it(`refuses ${what} with exit code 2, naming the key`, () => {
      assert.throws(
        () => load({ turnRelayPorts: value }),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.exitCode === 2 &&
          err.issues.some((i) => i.key.startsWith("warbler:im.turnRelayPorts")),
      );
    });
  }

  const caps = [
    ["aws", awsConfigIssues, AWS_TURN_RELAY_MAX_PORTS, 48],
    ["azure", azureConfigIssues, AZURE_TURN_RELAY_MAX_PORTS, 294],
    ["alicloud", alicloudConfigIssues, ALICLOUD_TURN_RELAY_MAX_PORTS, 48],
  ] as const;
  for (const [cloud, rule, max, expected] of caps) {
    it(`caps the range at ${expected} ports on ${cloud}, the load balancer's listener limit less TURN's own`, () => {
      assert.equal(max, expected);
      const at = (count: number): PartialPlatformConfig => ({
        im: { turnRelayPorts: { from: 50000, to: 50000 + count - 1 } },
      });
      assert.deepEqual(
        rule(at(max)).filter((i) => i.key === "warbler:im.turnRelayPorts"),
        [],
      );
      const issues = rule(at(max + 1)).filter((i) => i.key === "warbler:im.turnRelayPorts");
      assert.equal(issues.length, 1);
      assert.match(issues[0].message, new RegExp(`at most ${max} ports on ${cloud}`));
      // TURN off: no relay ports, nothing to cap.
      assert.deepEqual(
        rule({ im: { turn: false, turnRelayPorts: { from: 50000, to: 50999 } } }).filter(
          (i) => i.key === "warbler:im.turnRelayPorts",
        ),
        [],
      );
    });
  }

  it("counts requested ports only for a range the schema accepts, whatever else under im is wrong", () => {
    assert.equal(requestedTurnRelayPorts({ turnRelayPorts: { from: 50000, to: 50099 } }), 100);
    assert.equal(requestedTurnRelayPorts({}), 40);
    assert.equal(requestedTurnRelayPorts({ turnRelayPorts: { from: 50010, to: 50000 } }), undefined);
    assert.equal(requestedTurnRelayPorts({ turn: false }), undefined);
  });
});
