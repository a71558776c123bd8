import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "../support/cli";

const dir = mkdtempSync(join(tmpdir(), "warbler-failover-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const sites = join(dir, "sites.yaml");
writeFileSync(
  sites,
  `sites:
  aws:
    database: { host: db.aws.internal, user: admin, passwordEnv: AWS_PW }
    kubernetes: { kubeconfig: aws.kubeconfig }
  azure:
    database: { host: db.azure.internal, user: admin, passwordEnv: AZ_PW }
    kubernetes: { kubeconfig: azure.kubeconfig }
`,
);

// The CLI runs as a child process and inherits these; the sites file names them.
function setPasswords(): void {
  process.env.AWS_PW = "x";
  process.env.AZ_PW = "y";
  process.env.WARBLER_REPLICATION_PASSWORD = "z";
}

test("--dry-run prints every switchover step as JSON without touching a database", async () => {
  setPasswords();
  const result = await runCli([
    "failover",
    "switchover",
    "--to",
    "azure",
    "--sites",
    sites,
    "--state",
    join(dir, "state.json"),
    "--dry-run",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const plan = JSON.parse(result.stdout) as { from: string; to: string; steps: { step: string; status: string }[] };
  assert.equal(plan.from, "aws");
  assert.equal(plan.to, "azure");
  assert.deepEqual(
    plan.steps.slice(0, 4).map((s) => s.step),
    ["preflight", "prepare-reverse", "fence-health", "fence-database"],
  );
  assert.ok(plan.steps.every((s) => s.status === "to do"));
  assert.doesNotMatch(result.stdout, /"[xyz]"/, "no password is printed");
});

test("a missing password variable is a usage error naming the variable, exit 2", async () => {
  setPasswords();
  delete process.env.AZ_PW;
  const result = await runCli(["failover", "emergency", "--to", "azure", "--sites", sites, "--dry-run"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /environment variable AZ_PW is not set/);
});

test("an unknown cloud or a sites file that names no such site is refused with exit 2", async () => {
  const unknown = await runCli(["failover", "switchover", "--to", "gcp", "--sites", sites]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /'--to' \("gcp"\) must be one of aws, azure, alicloud/);
  setPasswords();
  const result = await runCli(["failover", "switchover", "--to", "alicloud", "--sites", sites]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /'--to' \("alicloud"\) must be a site of the sites file; it names aws, azure/);
});

test("the emergency command has no --abort: an emergency is completed by a rerun", async () => {
  const result = await runCli(["failover", "emergency", "--to", "azure", "--sites", sites, "--abort"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown option '--abort'/);
});
