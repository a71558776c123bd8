import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type DrillPair, startPair } from "../../failover/drill/drill";
import { StepFailed } from "../../failover/engine";
import { type FailoverRequest, runFailover } from "../../failover/run";
import { progress } from "../../lib/progress";
import { pairSql } from "./pair-sql";

/**
 * The restart step (docs/failover.md, Replication parameters; docs/azure.md): wal_level is static, so a standby
 * whose stack has just set it to logical still runs the old level until its server restarts. Azure Database for
 * PostgreSQL lists wal_level as a static parameter that needs a restart
 * (https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-server-parameters), and Pulumi's
 * Configuration resource does not restart the server.
 */
let pair: DrillPair;
const quiet = progress(false);

before(async () => {
  pair = await startPair(quiet, { standbyPendingRestart: true });
});

after(async () => {
  await pair?.close();
});

const { query, insertUser, arrived } = pairSql(() => pair);

const walLevel = async (site: "east" | "west") =>
  (
    await query<{ setting: string; pending_restart: boolean }>(
      site,
      "SELECT setting, pending_restart FROM pg_settings WHERE name = 'wal_level'",
    )
  )[0];

test("a standby whose wal_level waits for a restart refuses the switchover before anyone is fenced", async () => {
  assert.deepEqual(await walLevel("west"), { setting: "replica", pending_restart: true });
  const request: FailoverRequest = {
    operation: "switchover",
    from: pair.east.site,
    to: pair.west.site,
    settings: pair.settings,
    statePath: join(pair.workDir, "restart.json"),
    log: quiet,
  };
  await assert.rejects(runFailover(request), (err: unknown) => {
    assert.ok(err instanceof StepFailed, String(err));
    assert.equal(err.step, "preflight");
    assert.match(String(err.message), /west runs wal_level=replica \(a new value is set and waits for a restart\)/);
    return true;
  });
  assert.equal(pair.east.door.fenced, false, "users were not sent away");
  await insertUser("east", "still-primary");
  await arrived("west", "still-primary", "replication to go on as before");

  // The restart step: what `az postgres flexible-server restart` does to the standby.
  await pair.west.server.stop();
  await pair.west.server.start();
  assert.deepEqual(await walLevel("west"), { setting: "logical", pending_restart: false });

  // The same request resumes from the preflight and completes; west now publishes back to east.
  const report = await runFailover(request);
  assert.equal(report.status, "completed");
  assert.equal(report.rpo.rows, 0);
  await insertUser("west", "after-restart");
  await arrived("east", "after-restart", "reverse replication from the restarted server");
});

test("failback: the old primary subscribes back and takes over again", async () => {
  const report = await runFailover({
    operation: "switchover",
    from: pair.west.site,
    to: pair.east.site,
    settings: pair.settings,
    statePath: join(pair.workDir, "failback.json"),
    log: quiet,
  });
  assert.equal(report.status, "completed");
  assert.equal(report.rpo.rows, 0);
  await insertUser("east", "after-failback");
  await arrived("west", "after-failback", "replication east -> west after the failback");
  assert.equal((await query("east", "SELECT 1 FROM users WHERE username = 'after-restart'")).length, 1);
});
