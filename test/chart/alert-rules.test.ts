import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import { ejabberdNames } from "../../charts/im/ejabberd";
import { imNamespace } from "../../charts/im/props";
import { turnTlsSecret } from "../../charts/im/turn";
import { kitDescriptors } from "../../components/kits";
import { imSizingFor } from "../../config/im";
import { loadConfig } from "../../config/load";
import { readStackFile } from "../../config/stack-file";
import { capacityAlertCases } from "./capacity-alert-cases";
import { synthesizeFor } from "./fixtures";
import { type Case, type Labels, series } from "./promtool-case";

/**
 * Every alert rule of the project, unit-tested by the real `promtool test rules` (Debian's prometheus package, which
 * scripts/system-deps.sh installs): each alert fires on a series that should page and stays quiet on one that should
 * not. The rules are taken from the synthesized IM chart, the only place the project defines PrometheusRules, with
 * TURN over TLS on so that every conditional rule is present.
 */

const promtool = "/usr/bin/promtool";
const ns = imNamespace;

/** The aws example with TURN over TLS, which needs a DNS-01 solver (config/im.ts). */
function allRulesConfig() {
  const raw = readStackFile("aws").config;
  const config = loadConfig(
    {
      ...raw,
      "warbler:im": { ...(raw["warbler:im"] as object | undefined), turnTls: true },
      "warbler:acme": {
        ...(raw["warbler:acme"] as object),
        dns01: { provider: "route53", zone: "example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
      },
    },
    { cloudRules: kitDescriptors },
  );
  if (config.kind !== "platform") throw new Error("aws is not a platform stack");
  return config;
}
const config = allRulesConfig();
const objects = synthesizeFor(config);
const replicas: number = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "ejabberd")?.spec.replicas;
const groups = objects.filter((o) => o.kind === "PrometheusRule").flatMap((o) => o.spec.groups);
const rules: { alert: string; labels: Labels; annotations: Labels }[] = groups.flatMap((g) => g.rules);

const pod = { namespace: ns, pod: "ejabberd-1" };
const node = { instance: "10.0.1.5:9100" };
const unrelated = series("unrelated_metric", {}, "1x100");

const cases: Record<string, Case[]> = {
  ...capacityAlertCases(imSizingFor(config.im), pod),
  EjabberdNodeDown: [
    {
      name: "API down for 3 minutes",
      series: [series("up", { ...pod, service: ejabberdNames.http }, "1 1 0 0 0 0 0")],
      at: "6m",
      firing: [{ ...pod, service: ejabberdNames.http }],
    },
    {
      name: "one failed scrape",
      series: [series("up", { ...pod, service: ejabberdNames.http }, "1 1 0 1 1 1 1")],
      at: "6m",
      firing: [],
    },
  ],
  EjabberdClusterSplit: [
    {
      name: "one node sees one member less",
      series: [
        series("ejabberd_cluster_nodes", { namespace: ns, pod: "ejabberd-0" }, `${replicas}x10`),
        series("ejabberd_cluster_nodes", pod, `${replicas - 1}x10`),
      ],
      at: "10m",
      firing: [{}],
    },
    {
      name: "every node sees every member",
      series: [series("ejabberd_cluster_nodes", pod, `${replicas}x10`)],
      at: "10m",
      firing: [],
    },
  ],
  WarblerDatabaseCertificateExpiresSoon: [
    {
      // promtool evaluates at Unix time 0 plus eval_time, so the expiry is an absolute second count.
      name: "20 days left",
      series: [series("warbler_database_certificate_expiry_timestamp_seconds", pod, `${20 * 86400}x90`)],
      at: "70m",
      firing: [{}],
    },
    {
      name: "60 days left",
      series: [series("warbler_database_certificate_expiry_timestamp_seconds", pod, `${60 * 86400}x90`)],
      at: "70m",
      firing: [],
    },
  ],
  EjabberdDatabaseUnreachable: [
    { name: "database down", series: [series("ejabberd_database_up", pod, "0x5")], at: "4m", firing: [pod] },
    { name: "database up", series: [series("ejabberd_database_up", pod, "1x5")], at: "4m", firing: [] },
  ],
  EjabberdApiErrorRate: [
    {
      name: "two failed calls a minute",
      series: [series("ejabberd_exporter_errors_total", { ...pod, command: "stats" }, "0+2x30")],
      at: "25m",
      firing: [{ pod: pod.pod }],
    },
    {
      name: "a failed call every two minutes",
      series: [series("ejabberd_exporter_errors_total", { ...pod, command: "stats" }, "0+0.5x30")],
      at: "25m",
      firing: [],
    },
  ],
  EjabberdCertificateExpiresSoon: [
    {
      name: "10 days left",
      series: [
        series(
          "certmanager_certificate_expiration_timestamp_seconds",
          { namespace: ns, name: ejabberdNames.tlsSecret },
          `${7200 + 10 * 86400}x150`,
        ),
      ],
      at: "2h",
      firing: [{ namespace: ns, name: ejabberdNames.tlsSecret }],
    },
    {
      name: "20 days left",
      series: [
        series(
          "certmanager_certificate_expiration_timestamp_seconds",
          { namespace: ns, name: ejabberdNames.tlsSecret },
          `${7200 + 20 * 86400}x150`,
        ),
      ],
      at: "2h",
      firing: [],
    },
  ],
  TurnServerDown: [
    { name: "never scraped", series: [unrelated], at: "10m", firing: [{ namespace: ns, service: "eturnal-metrics" }] },
    {
      name: "scraped",
      series: [series("up", { namespace: ns, service: "eturnal-metrics", pod: "eturnal-0" }, "1x10")],
      at: "10m",
      firing: [],
    },
  ],
  TurnCertificateNotLoaded: [
    {
      name: "renewed after eturnal started",
      series: [
        series(
          "certmanager_certificate_not_before_timestamp_seconds",
          { namespace: ns, name: turnTlsSecret },
          "2000x90",
        ),
        series("kube_pod_start_time", { namespace: ns, pod: "eturnal-abc" }, "1000x90"),
      ],
      at: "80m",
      firing: [{}],
    },
    {
      name: "eturnal restarted after the renewal",
      series: [
        series(
          "certmanager_certificate_not_before_timestamp_seconds",
          { namespace: ns, name: turnTlsSecret },
          "1000x90",
        ),
        series("kube_pod_start_time", { namespace: ns, pod: "eturnal-abc" }, "2000x90"),
      ],
      at: "80m",
      firing: [],
    },
  ],
  EjabberdSessionsDropped: [
    {
      name: "1000 sessions fall to 500",
      series: [series("ejabberd_online_users", pod, "1000x10 500x10")],
      at: "15m",
      firing: [{}],
    },
    { name: "a 20% dip", series: [series("ejabberd_online_users", pod, "1000x10 800x10")], at: "15m", firing: [] },
    {
      name: "a small install emptying",
      series: [series("ejabberd_online_users", pod, "50x10 5x10")],
      at: "15m",
      firing: [],
    },
  ],
  EjabberdLoginFailureSpike: [
    {
      name: "from none to one a second",
      series: [series("ejabberd_login_failures_total", { ...pod, domain: "example.com" }, "0x70 60+60x20")],
      at: "85m",
      firing: [{}],
    },
    {
      name: "one a second all along",
      series: [series("ejabberd_login_failures_total", { ...pod, domain: "example.com" }, "0+60x90")],
      at: "85m",
      firing: [],
    },
    {
      name: "three a minute from none",
      series: [series("ejabberd_login_failures_total", { ...pod, domain: "example.com" }, "0x70 3+3x20")],
      at: "85m",
      firing: [],
    },
  ],
  WarblerExporterAbsent: [
    { name: "no exporter sample", series: [unrelated], at: "10m", firing: [{ namespace: ns }] },
    { name: "exporter scraped", series: [series("ejabberd_up", pod, "1x10")], at: "10m", firing: [] },
  ],
  WarblerAnalyticsStale: [
    { name: "analytics failing", series: [series("warbler_analytics_up", pod, "0x20")], at: "15m", firing: [{}] },
    {
      name: "rollup stopped 40 minutes ago",
      series: [
        series("warbler_analytics_up", pod, "1x50"),
        series("warbler_analytics_rollup_timestamp_seconds", pod, "0x50"),
      ],
      at: "45m",
      firing: [{}],
    },
    {
      name: "rolling up every minute",
      series: [
        series("warbler_analytics_up", pod, "1x50"),
        series("warbler_analytics_rollup_timestamp_seconds", pod, "0+60x50"),
      ],
      at: "45m",
      firing: [],
    },
  ],
  NodeFileDescriptorsNearLimit: [
    {
      name: "90% used",
      series: [series("node_filefd_allocated", node, "900x10"), series("node_filefd_maximum", node, "1000x10")],
      at: "8m",
      firing: [node],
    },
    {
      name: "50% used",
      series: [series("node_filefd_allocated", node, "500x10"), series("node_filefd_maximum", node, "1000x10")],
      at: "8m",
      firing: [],
    },
  ],
  NodeConntrackNearLimit: [
    {
      name: "85% full",
      series: [
        series("node_nf_conntrack_entries", node, "850x10"),
        series("node_nf_conntrack_entries_limit", node, "1000x10"),
      ],
      at: "8m",
      firing: [node],
    },
    {
      name: "30% full",
      series: [
        series("node_nf_conntrack_entries", node, "300x10"),
        series("node_nf_conntrack_entries_limit", node, "1000x10"),
      ],
      at: "8m",
      firing: [],
    },
  ],
  // ENA counters (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-network-performance-ena.html) only
  // grow; one rising while another on the same NIC stays flat must fire once, for the rising one, without the two
  // series colliding once increase() drops their names.
  NodeNetworkAllowanceExceeded: [
    {
      name: "packets dropped over the PPS allowance every minute",
      series: [
        series("node_ethtool_pps_allowance_exceeded", { ...node, device: "eth0" }, "0+40x15"),
        series("node_ethtool_bw_in_allowance_exceeded", { ...node, device: "eth0" }, "7x15"),
      ],
      at: "12m",
      firing: [{ ...node, device: "eth0", allowance: "pps_allowance_exceeded" }],
    },
    {
      name: "counters flat since an old burst, conntrack headroom left",
      series: [
        series("node_ethtool_pps_allowance_exceeded", { ...node, device: "eth0" }, "1200x15"),
        series("node_ethtool_bw_out_allowance_exceeded", { ...node, device: "eth0" }, "35x15"),
        series("node_ethtool_conntrack_allowance_available", { ...node, device: "eth0" }, "130000x15"),
      ],
      at: "12m",
      firing: [],
    },
  ],
};

/** The annotations promtool expects: the rule's, with `{{ $labels.x }}` filled in as Prometheus does. */
function annotationsFor(alert: string, labels: Labels): Labels {
  const rule = rules.find((r) => r.alert === alert)!;
  return Object.fromEntries(
    Object.entries(rule.annotations ?? {}).map(([k, v]) => [
      k,
      v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? ""),
    ]),
  );
}

function promtoolTests(selected: Record<string, Case[]>) {
  return Object.entries(selected).flatMap(([alert, list]) =>
    list.map((c) => ({
      name: `${alert}: ${c.name}`,
      interval: "1m",
      input_series: c.series,
      alert_rule_test: [
        {
          eval_time: c.at,
          alertname: alert,
          exp_alerts: c.firing.map((labels) => {
            const all = { ...labels, ...rules.find((r) => r.alert === alert)!.labels };
            return { exp_labels: all, exp_annotations: annotationsFor(alert, all) };
          }),
        },
      ],
    })),
  );
}

const dir = mkdtempSync(join(tmpdir(), "warbler-promtool-"));
writeFileSync(join(dir, "rules.yml"), stringify({ groups }));

function runPromtool(selected: Record<string, Case[]>): { status: number | null; output: string } {
  const file = join(dir, "tests.yml");
  writeFileSync(
    file,
    stringify({ rule_files: ["rules.yml"], evaluation_interval: "1m", tests: promtoolTests(selected) }),
  );
  const result = spawnSync(promtool, ["test", "rules", file], { cwd: dir, encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("every alert rule, with promtool test rules", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("takes the rules from the one file that defines PrometheusRules", () => {
    const repo = join(__dirname, "..", "..");
    const sources = ["charts", "components", "failover", "stacks"].flatMap((room) =>
      readdirSync(join(repo, room), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => join(room, f)),
    );
    const defining = sources.filter((f) =>
      /new PrometheusRule\(|kind: "PrometheusRule"/.test(readFileSync(join(repo, f), "utf8")),
    );
    assert.deepEqual(defining.sort(), ["charts/im/crds.ts", "charts/im/monitoring.ts"]);
  });

  it("passes promtool check rules", () => {
    const result = spawnSync(promtool, ["check", "rules", join(dir, "rules.yml")], { encoding: "utf8" });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });

  it("has a firing and a quiet case for every alert the project defines, and none for an unknown one", () => {
    const defined = rules.map((r) => r.alert).sort();
    assert.deepEqual(Object.keys(cases).sort(), defined);
    for (const [alert, list] of Object.entries(cases)) {
      assert.ok(
        list.some((c) => c.firing.length > 0),
        `${alert} has no firing case`,
      );
      assert.ok(
        list.some((c) => c.firing.length === 0),
        `${alert} has no quiet case`,
      );
    }
  });

  it("fires and stays quiet as each case expects", () => {
    const { status, output } = runPromtool(cases);
    assert.equal(status, 0, output);
  });

  it("fails when a case expects the wrong outcome, so a passing run means something", () => {
    const flipped = { EjabberdSessionsDropped: [{ ...cases.EjabberdSessionsDropped[1], firing: [{}] }] };
    const { status, output } = runPromtool(flipped);
    assert.equal(status, 1, output);
    assert.match(output, /EjabberdSessionsDropped/);
  });
});
