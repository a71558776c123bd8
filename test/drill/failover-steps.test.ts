import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { direction, setupSteps, unpublishedTables } from "../../failover/replication-sql";
import { renderPsqlScript } from "../../failover/sql-step";
import { progress } from "../../lib/progress";
import { Db } from "../../failover/db";
import { StepFailed, StateFile } from "../../failover/engine";
import { abortFailover, runFailover, StateConflict, type FailoverRequest } from "../../failover/run";
import { startPair, type DrillPair } from "../../failover/drill/drill";
import { join } from "node:path";

let pair: DrillPair;
const quiet = progress(false);

before(async () => {
  pair = await startPair(quiet);
});

after(async () => {
  await pair?.close();
});

async function query<T extends Record<string, unknown>>(site: "aws" | "azure", sql: string): Promise<T[]> {
  const db = await Db.connect(pair[site].site.admin);
  try {
    return await db.query<T>(sql);
  } finally {
    await db.close();
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("every ejabberd table gets a replica identity; PK-less tables use a unique index, a serial column or FULL", async () => {
  const rows = await query<{ relname: string; relreplident: string; has_pk: boolean; idx: string | null }>("aws", `
    SELECT c.relname, c.relreplident,
      EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
      (SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisreplident) AS idx
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`);
  assert.equal(rows.length, 42, "41 ejabberd tables and the barrier table");
  for (const r of rows) {
    const ok = (r.relreplident === "d" && r.has_pk) || (r.relreplident === "i" && r.idx !== null) || r.relreplident === "f";
    assert.ok(ok, `${r.relname} has no usable replica identity (${r.relreplident})`);
  }
  const by = Object.fromEntries(rows.map((r) => [r.relname, r]));
  assert.equal(by.archive.idx, "warbler_ri_archive", "archive is identified by its serial id");
  assert.equal(by.spool.idx, "warbler_ri_spool");
  assert.equal(by.rosterusers.idx, "i_rosteru_sh_user_jid");
  assert.equal(by.rostergroups.relreplident, "f", "rostergroups has no unique key at all");
  const published = (await query<{ tablename: string }>("aws", "SELECT tablename FROM pg_publication_tables WHERE pubname = 'warbler_im'")).map((r) => r.tablename);
  assert.equal(published.length, 42 - unpublishedTables.length);
  for (const t of unpublishedTables) assert.ok(!published.includes(t), `${t} is live state and must not be published`);
});

test("the Job's psql scripts run with the real psql and are idempotent on a running pair", () => {
  const steps = setupSteps(pair.aws.site, pair.azure.site, pair.aws.site.replication);
  for (const [site, list] of [["aws", steps.primary], ["azure", steps.standby]] as const) {
    const script = renderPsqlScript(`${site} setup`, list);
    assert.ok(!script.includes(pair.settings.replicationPassword), "the script holds no secret");
    const { admin } = pair[site].site;
    for (let run = 0; run < 2; run++) {
      execFileSync("psql", ["-X", "-q", "-h", admin.host, "-p", String(admin.port), "-U", admin.user, "-d", admin.database, "-v", `replication_password=${pair.settings.replicationPassword}`, "-f", "-"], {
        input: script,
        env: { ...process.env, PGPASSWORD: admin.password },
        stdio: ["pipe", "ignore", "pipe"],
      });
    }
  }
});

test("a switchover that fails mid-way completes when rerun, skipping what was done", async () => {
  const statePath = join(pair.workDir, "resume.json");
  const request: FailoverRequest = { operation: "switchover", from: pair.aws.site, to: pair.azure.site, settings: pair.settings, statePath, log: quiet };
  const realScaleUp = pair.azure.door.scaleUp.bind(pair.azure.door);
  let calls = 0;
  pair.azure.site.im = {
    scaleUp: async () => {
      calls++;
      if (calls === 1) throw new Error("cluster API timed out");
      await realScaleUp();
    },
  };
  await query("aws", "INSERT INTO users (username, server_host, password) VALUES ('before-switch', 'chat.example.com', 'x')");
  await assert.rejects(runFailover(request), (err: unknown) => err instanceof StepFailed && err.step === "scale-up");
  const saved = new StateFile(statePath).read();
  assert.equal(saved?.steps.promote.status, "done");
  assert.equal(saved?.steps["scale-up"].status, "failed");

  const report = await runFailover(request);
  assert.equal(report.status, "completed");
  assert.equal(calls, 2, "only the failed step and those after it ran again");
  assert.equal(report.rpo.rows, 0);
  assert.ok(report.rtoMs !== null && report.rtoMs < 5000);
  assert.equal(new StateFile(statePath).read()?.steps.promote.detail, saved?.steps.promote.detail, "the promotion was not repeated");
  // azure now takes writes and replicates them back to aws.
  await query("azure", "INSERT INTO users (username, server_host, password) VALUES ('after-switch', 'chat.example.com', 'x')");
  await waitFor(async () => (await query("aws", "SELECT 1 FROM users WHERE username = 'after-switch'")).length === 1, "reverse replication to aws");
  assert.equal((await query("azure", "SELECT 1 FROM users WHERE username = 'before-switch'")).length, 1);
  await assert.rejects(abortFailover(request), (err: unknown) => err instanceof StateConflict && /already promoted/.test(err.message));
});

test("--abort before the promotion leaves the old primary writable and the standby replicating", async () => {
  // azure is primary after the previous test; stall aws's subscription so the switchover cannot catch up.
  const back = direction("azure", "aws");
  await query("aws", `ALTER SUBSCRIPTION ${back.subscription} DISABLE`);
  const request: FailoverRequest = {
    operation: "switchover",
    from: pair.azure.site,
    to: pair.aws.site,
    settings: { ...pair.settings, catchUpTimeoutMs: 1000 },
    statePath: join(pair.workDir, "abort.json"),
    log: quiet,
  };
  await assert.rejects(runFailover(request), (err: unknown) => err instanceof StepFailed && err.step === "wait-applied");
  assert.equal(pair.azure.door.fenced, true, "the primary was fenced before the failure");
  const report = await abortFailover(request);
  assert.equal(report.status, "aborted");
  assert.equal(pair.azure.door.fenced, false);
  const [setting] = await query<{ ro: string | null }>(
    "azure",
    "SELECT (SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database() AND s.setrole = 0) AS ro",
  );
  assert.doesNotMatch(String(setting?.ro ?? ""), /default_transaction_read_only=on/);
  await query("azure", "INSERT INTO users (username, server_host, password) VALUES ('after-abort', 'chat.example.com', 'x')");
  await waitFor(async () => (await query("aws", "SELECT 1 FROM users WHERE username = 'after-abort'")).length === 1, "replication to resume after the abort");
  await assert.rejects(runFailover(request), (err: unknown) => err instanceof StateConflict && /aborted/.test(err.message));
});
