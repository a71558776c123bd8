import assert from "node:assert/strict";
import { test } from "node:test";
import { runCli } from "../support/cli";

interface Scenario {
  name: string;
  rowsWritten: number;
  rowsLost: number;
  rtoMs: number;
  reportedRpoRows: number | null;
}

test("the drill switches over, back, and fails over in an emergency with the loss reported exactly", {
  timeout: 180_000,
}, async () => {
  const result = await runCli(["failover", "drill", "--json"], { timeoutMs: 170_000 });
  assert.equal(result.code, 0, result.stderr);
  const doc = JSON.parse(result.stdout) as { scenarios: Scenario[] };
  assert.deepEqual(
    doc.scenarios.map((s) => s.name),
    ["switchover", "switchback", "emergency"],
  );
  for (const s of doc.scenarios) {
    assert.deepEqual(Object.keys(s).sort(), ["name", "reportedRpoRows", "rowsLost", "rowsWritten", "rtoMs"]);
    assert.ok(s.rowsWritten > 50, `${s.name}: the writer kept writing (${s.rowsWritten} rows)`);
  }
  for (const s of doc.scenarios.filter((x) => x.name !== "emergency")) {
    assert.equal(s.rowsLost, 0, `${s.name} lost rows`);
    assert.equal(s.reportedRpoRows, 0);
    assert.ok(s.rtoMs > 0 && s.rtoMs < 5000, `${s.name}: RTO ${s.rtoMs} ms`);
  }
  const emergency = doc.scenarios[2];
  // The drill injects a second of replication lag before killing the primary, so some rows must be lost.
  assert.ok(emergency.rowsLost > 0, "the emergency lost the rows written while the standby lagged");
  assert.equal(emergency.reportedRpoRows, emergency.rowsLost);
});
