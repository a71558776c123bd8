import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { catalogue } from "../../policies/catalogue";
import { selectPolicies } from "../../policies/registry";
import type { ComplianceReport } from "../../policies/report/model";
import { allFixtures } from "./fixtures";

const allPolicies = selectPolicies();

const bin = join(__dirname, "..", "..", "bin", "warbler.js");
const dir = mkdtempSync(join(tmpdir(), "warbler-report-"));
const plans = join(dir, "plans");
after(() => rmSync(dir, { recursive: true, force: true }));

function warbler(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A saved plan built from policy fixtures: every AWS compliant fixture, plus one public RDS instance. */
function demoPlan() {
  const resources = allFixtures
    .filter((f) => f.policy.startsWith("aws-"))
    .flatMap((f, i) => f.compliant.map((r) => ({ ...r, name: `${r.name}-${i}` })))
    .map((r) => ({
      urn: `urn:pulumi:demo::warbler::${r.type}::${r.name}`,
      type: r.type,
      name: r.name,
      parent: "",
      inputs: r.props,
      id: r.id,
      outputs: r.outputs,
    }));
  resources.push({
    urn: "urn:pulumi:demo::warbler::aws:rds/instance:Instance::open-db",
    type: "aws:rds/instance:Instance",
    name: "open-db",
    parent: "",
    inputs: { engine: "postgres", publiclyAccessible: true },
    id: undefined,
    outputs: undefined,
  });
  return { stack: "demo", cloud: "aws", resources, outputs: {}, violations: [] };
}

const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

function chromium(profile: string, ...args: string[]) {
  const r = spawnSync("/usr/bin/chromium", [...chromiumFlags, `--user-data-dir=${join(dir, profile)}`, ...args], {
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe("warbler compliance report", () => {
  before(() => {
    mkdirSync(plans, { recursive: true });
    writeFileSync(join(plans, "demo.json"), JSON.stringify(demoPlan()));
  });

  it("writes JSON with the pack version and date, the matrix, and each verdict's evidence", () => {
    const r = warbler("compliance", "report", "--stack", "demo", "--plans", plans, "--format", "json", "-q");
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as ComplianceReport;
    assert.equal(report.pack.version, "0.1.0");
    assert.ok(Math.abs(Date.parse(report.pack.generatedAt) - Date.now()) < 60_000);
    assert.deepEqual(
      report.frameworks.map((f) => f.id),
      catalogue.frameworks.map((f) => f.id),
    );
    const pci = report.frameworks.find((f) => f.id === "pcidss")!.controls.find((c) => c.id === "PCI-1.4.4")!;
    assert.ok(pci.policies.includes("aws-rds-no-public-access"));
    assert.equal(pci.status.demo, "fail");
    const verdict = report.stacks[0].verdicts.find((v) => v.policy === "aws-rds-no-public-access")!;
    assert.equal(verdict.verdict, "fail");
    assert.ok(
      verdict.evaluated.includes("open-db") && verdict.evaluated.length >= 2,
      "evidence lists every evaluated instance",
    );
    assert.deepEqual(verdict.violations, [{ resource: "open-db", message: "publiclyAccessible is true" }]);
    assert.equal(report.stacks[0].verdicts.find((v) => v.policy === "aws-kms-key-rotation")!.verdict, "pass");
    assert.equal(report.policies.length, allPolicies.length);
  });

  it("writes Markdown with the matrix and a section per stack", () => {
    const r = warbler("compliance", "report", "--stack", "demo", "--plans", plans, "-q");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Warbler compliance report/);
    assert.match(
      r.stdout,
      /\| GDPR-32 \| Art\. 32 Security of processing \| [^|]*aws-rds-storage-encryption[^|]* \| FAIL \|/,
    );
    assert.match(r.stdout, /## Stack `demo` \(aws\)/);
  });

  it("writes one self-contained HTML file that headless Chromium renders with the matrix, and prints to PDF", () => {
    const html = join(dir, "report.html");
    const r = warbler(
      "compliance",
      "report",
      "--stack",
      "demo",
      "--plans",
      plans,
      "--format",
      "html",
      "--out",
      html,
      "-q",
    );
    assert.equal(r.code, 0, r.stderr);
    const source = readFileSync(html, "utf8");
    assert.doesNotMatch(source, /<(script|link|img)\b|src=|url\(/i, "the report must not load anything");

    const dom = chromium("dom", "--dump-dom", `file://${html}`);
    const matrices = dom.match(/<table class="matrix" data-framework="[^"]+">/g) ?? [];
    assert.equal(matrices.length, catalogue.frameworks.length);
    for (const id of catalogue.byId.keys()) assert.ok(dom.includes(`<code>${id}</code>`), `${id} not rendered`);
    assert.match(dom, /<td class="status fail">FAIL<\/td>/);
    assert.match(dom, /<strong>open-db<\/strong>: publiclyAccessible is true/);

    const pdf = join(dir, "report.pdf");
    chromium("pdf", "--no-pdf-header-footer", `--print-to-pdf=${pdf}`, `file://${html}`);
    const bytes = readFileSync(pdf).toString("latin1");
    assert.ok(bytes.startsWith("%PDF-"));
    assert.ok(
      (bytes.match(/\/Type\s*\/Page\b/g) ?? []).length >= 3,
      "the matrix and the stack section print over several pages",
    );
  });

  it("names a stack it could not evaluate in the report and exits 1", () => {
    const out = join(dir, "partial.md");
    const r = warbler("compliance", "report", "--stack", "demo", "no-such-stack", "--plans", plans, "--out", out, "-q");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not evaluated: no-such-stack/);
    assert.match(readFileSync(out, "utf8"), /\*\*Not evaluated:\*\* stack `no-such-stack`/);
  });

  it("rejects an unknown format with exit 2", () => {
    const r = warbler("compliance", "report", "--format", "pdf", "--plans", plans, "--stack", "demo");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'--format' \("pdf"\) must be one of md, html, json/);
  });
});
