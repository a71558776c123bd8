import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { capacityAlertRules } from "../../../charts/im/capacity-alerts";
import { exporterMetrics } from "../../../charts/im/exporter/catalogue";
import {
  alertRules,
  analyticsAlertRules,
  enaAllowanceStats,
  nodeAlertRules,
  turnAlertRules,
} from "../../../charts/im/monitoring";
import { Metrics } from "../../../charts/im/upload/metrics";
import { warblerDashboards } from "../../../components/kubernetes/dashboards";
import { imSizing } from "../../../lib/im-sizing";

/**
 * The issue's "bad input": a dashboard (or an alert) naming a metric nothing exposes fails here. Warbler's own
 * metrics are checked against what the code serves (the exporter's catalogue, itself checked against a real scrape
 * in test/e2e/analytics.test.ts, and the upload service's rendered counters); the other components' metrics against
 * the list below, each with the component that serves it.
 */
const otherComponents: Record<string, string> = {
  up: "Prometheus, for every scrape target",
  node_filefd_allocated: "node-exporter, filefd collector",
  node_filefd_maximum: "node-exporter, filefd collector",
  node_nf_conntrack_entries: "node-exporter, conntrack collector",
  node_nf_conntrack_entries_limit: "node-exporter, conntrack collector",
  ...Object.fromEntries(
    enaAllowanceStats.map((s) => [`node_ethtool_${s}`, "node-exporter, ethtool collector (ENA NICs on AWS only)"]),
  ),
  container_memory_working_set_bytes: "the kubelet's cAdvisor endpoint, which kube-prometheus-stack scrapes",
  container_sockets: "the kubelet's cAdvisor endpoint (process metrics), which kube-prometheus-stack scrapes",
  kube_pod_start_time: "kube-state-metrics",
  certmanager_certificate_expiration_timestamp_seconds: "cert-manager's controller",
  certmanager_certificate_not_before_timestamp_seconds: "cert-manager's controller (1.18+)",
};

const uploadMetrics = [...new Metrics("s3").render().matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
const warblerMetrics = new Set<string>([...exporterMetrics, ...uploadMetrics]);

const keywords = new Set(["and", "or", "unless", "by", "without", "on", "ignoring", "offset", "bool", "group_left"]);

/** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b\d+(?:ms|[smhdwy])\b/g, "")
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, "");
  const names = [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(stripped.slice(m.index + m[0].length)))
    .map((m) => m[0]);
  return [...new Set(names.filter((n) => !keywords.has(n) && !/^\d/.test(n)))];
}

const dashboardExprs = warblerDashboards().flatMap((d) =>
  JSON.stringify(d.model)
    .match(/"expr":"(?:[^"\\]|\\.)*"/g)!
    .map((m) => ({ where: d.uid, expr: JSON.parse(m.slice(7)) as string })),
);
const ruleExprs = [
  ...alertRules(3, "warbler-im"),
  ...turnAlertRules("warbler-im", "eturnal-tls"),
  ...analyticsAlertRules("warbler-im"),
  ...nodeAlertRules(),
  ...capacityAlertRules(imSizing(1_000_000, 3), "warbler-im"),
].map((r) => ({ where: r.alert!, expr: String(r.expr) }));

describe("metrics named by dashboards and alert rules", () => {
  it("reads metric names out of PromQL, and only those", () => {
    assert.deepEqual(
      metricNames('sum by (pod) (rate(a_total{namespace="x",name=~"y.*"}[5m] offset 1h)) / on (pod) b > 0.8 and c'),
      ["a_total", "b", "c"],
    );
    assert.deepEqual(metricNames('max_over_time(max(x{a="b"})[1d:5m])'), ["x"]);
  });

  it("finds panels and rules to check", () => {
    assert.ok(dashboardExprs.length >= 20, `${dashboardExprs.length} dashboard queries`);
    assert.ok(ruleExprs.length >= 13, `${ruleExprs.length} rules`);
  });

  for (const { where, expr } of [...dashboardExprs, ...ruleExprs]) {
    it(`${where}: ${expr.slice(0, 80)} names only metrics something serves`, () => {
      for (const name of metricNames(expr)) {
        assert.ok(warblerMetrics.has(name) || name in otherComponents, `${name} is served by nothing Warbler deploys`);
      }
    });
  }

  it("fails on a metric the exporter does not serve", () => {
    const made = metricNames("rate(warbler_messagez_total[5m])");
    assert.ok(made.some((n) => !warblerMetrics.has(n) && !(n in otherComponents)));
  });

  it("defines every metric of the exporter and the dashboards in docs/analytics.md", () => {
    const docs = readFileSync(join(__dirname, "..", "..", "..", "docs", "analytics.md"), "utf8");
    const shown = new Set([...exporterMetrics, ...dashboardExprs.flatMap((e) => metricNames(e.expr))]);
    for (const name of shown)
      assert.ok(
        docs.includes(`\`${name}\``) || docs.includes(`\`${name}{`),
        `docs/analytics.md does not define ${name}`,
      );
  });
});
