import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type DrillPair, startPair } from "../../failover/drill/drill";
import { StateFile, StepFailed } from "../../failover/engine";
import { direction, setupSteps, unpublishedTables } from "../../failover/replication-sql";
import { abortFailover, type FailoverRequest, runFailover, StateConflict } from "../../failover/run";
import { renderPsqlScript } from "../../failover/sql-step";
import { progress } from "../../lib/progress";
import { pairSql } from "./pair-sql";

let pair: DrillPair;
const quiet = progress(false);

before(async () => {
  pair = await startPair(quiet);
});

after(async () => {
  await pair?.close();
});

const { query, insertUser, arrived } = pairSql(() => pair);

test(
  "every ejabberd table gets a replica identity; PK-less " + "tables use a unique index, a serial column or FULL",
  async () => {
    const rows = await query<{ relname: string; relreplident: string; has_pk: boolean; idx: string | null }>(
      "east",
      `
    SELECT c.relname, c.relreplident,
      EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
      (SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = ` +
        `c.oid AND i.indisreplident) AS idx
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND ` +
        `c.relkind = 'r'`,
    );
    assert.equal(rows.length, 42, "41 ejabberd tables and the barrier table");
    for (const r of rows) {
      const ok =
        (r.relreplident === "d" && r.has_pk) || (r.relreplident === "i" && r.idx !== null) || r.relreplident === "f";
      assert.ok(ok, `${r.relname} has no usable replica identity (${r.relreplident})`);
    }
    const by = Object.fromEntries(rows.map((r) => [r.relname, r]));
    assert.equal(by.archive.idx, "warbler_ri_archive", "archive is identified by its serial id");
    assert.equal(by.spool.idx, "warbler_ri_spool");
    assert.equal(by.rosterusers.idx, "i_rosteru_sh_user_jid");
    assert.equal(by.rostergroups.relreplident, "f", "rostergroups has no unique key at all");
    const publications = "SELECT tablename FROM pg_publication_tables WHERE pubname = 'warbler_im'";
    const published = (await query<{ tablename: string }>("east", publications)).map((r) => r.tablename);
    assert.equal(published.length, 42 - unpublishedTables.length);
    for (const t of unpublishedTables)
      assert.ok(!published.includes(t), `${t} is live state and must not be published`);
  },
);

test("the Job's psql scripts run with the real psql and are idempotent on a running pair", () => {
  const steps = setupSteps(pair.east.site, pair.west.site, pair.east.site.replication);
  for (const [site, list] of [
    ["east", steps.primary],
    ["west", steps.standby],
  ] as const) {
    const script = renderPsqlScript(`${site} setup`, list);
    assert.ok(!script.includes(pair.settings.replicationPassword), "the script holds no secret");
    const { admin } = pair[site].site;
    for (let run = 0; run < 2; run++) {
      execFileSync(
        "psql",
        [
          "-X",
          "-q",
          "-h",
          admin.host,
          "-p",
          String(admin.port),
          "-U",
          admin.user,
          "-d",
          admin.database,
          "-v",
          `replication_password=${pair.settings.replicationPassword}`,
          "-f",
          "-",
        ],
        {
          input: script,
          env: { ...process.env, PGPASSWORD: admin.password },
          stdio: ["pipe", "ignore", "pipe"],
        },
      );
    }
  }
});

test("a switchover that fails mid-way completes when rerun, skipping what was done", async () => {
  const statePath = join(pair.workDir, "resume.json");
  const request: FailoverRequest = {
    operation: "switchover",
    from: pair.east.site,
    to: pair.west.site,
    settings: pair.settings,
    statePath,
    log: quiet,
  };
  const realScaleUp = pair.west.door.scaleUp.bind(pair.west.door);
  let calls = 0;
  pair.west.site.im = {
    scaleUp: async () => {
      calls++;
      if (calls === 1) throw new Error("cluster API timed out");
      await realScaleUp();
    },
  };
  await insertUser("east", "before-switch");
  await assert.rejects(runFailover(request), (err: unknown) => err instanceof StepFailed && err.step === "scale-up");
  const saved = new StateFile(statePath).read();
  assert.equal(saved?.steps.promote.status, "done");
  assert.equal(saved?.steps["scale-up"].status, "failed");

  const report = await runFailover(request);
  assert.equal(report.status, "completed");
  assert.equal(calls, 2, "only the failed step and those after it ran again");
  assert.equal(report.rpo.rows, 0);
  assert.ok(report.rtoMs !== null && report.rtoMs < 5000);
  assert.equal(
    new StateFile(statePath).read()?.steps.promote.detail,
    saved?.steps.promote.detail,
    "the promotion was not repeated",
  );
  // west now takes writes and replicates them back to east.
  await insertUser("west", "after-switch");
  await arrived("east", "after-switch", "reverse replication to east");
  assert.equal((await query("west", "SELECT 1 FROM users WHERE username = 'before-switch'")).length, 1);
  await assert.rejects(
    abortFailover(request),
    (err: unknown) => err instanceof StateConflict && /already promoted/.test(err.message),
  );
});

test("--abort before the promotion leaves the old primary writable and the standby replicating", async () => {
  // west is primary after the previous test; stall east's subscription so the switchover cannot catch up.
  const back = direction("west", "east");
  await query("east", `ALTER SUBSCRIPTION ${back.subscription} DISABLE`);
  const request: FailoverRequest = {
    operation: "switchover",
    from: pair.west.site,
    to: pair.east.site,
    settings: { ...pair.settings, catchUpTimeoutMs: 1000 },
    statePath: join(pair.workDir, "abort.json"),
    log: quiet,
  };
  await assert.rejects(
    runFailover(request),
    (err: unknown) => err instanceof StepFailed && err.step === "wait-applied",
  );
  assert.equal(pair.west.door.fenced, true, "the primary was fenced before the failure");
  const report = await abortFailover(request);
  assert.equal(report.status, "aborted");
  assert.equal(pair.west.door.fenced, false);
  const [setting] = await query<{ ro: string | null }>(
    "west",
    "SELECT (SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s JOIN pg_database d ON d.oid = " +
      "s.setdatabase WHERE d.datname = current_database() AND s.setrole = 0) AS ro",
  );
  assert.doesNotMatch(String(setting?.ro ?? ""), /default_transaction_read_only=on/);
  await insertUser("west", "after-abort");
  await arrived("east", "after-abort", "replication to resume after the abort");
  await assert.rejects(
    runFailover(request),
    (err: unknown) => err instanceof StateConflict && /aborted/.test(err.message),
  );
});
