import assert from "node:assert/strict";
import { test } from "node:test";
import { databaseCategory, databaseMachine, matchesSizeClass, nodeMachine } from "../../../components/alicloud/sizes";
import { sizeClass, sizes } from "../../../config/clouds";

test("every abstract size maps to an ECS node type with exactly the vCPU and memory of its class", () => {
  for (const size of sizes) {
    const machine = nodeMachine(size);
    assert.ok(matchesSizeClass(size, machine), `${size} -> ${machine.type} has ${machine.vcpu}/${machine.memoryGiB}, want ${sizeClass[size].vcpu}/${sizeClass[size].memoryGiB}`);
    assert.match(machine.type, /^ecs\.g7\./);
  }
});

test("every abstract size maps to an RDS class of the same capacity in both editions", () => {
  for (const size of sizes) {
    for (const ha of [true, false]) {
      const machine = databaseMachine(size, ha);
      assert.ok(matchesSizeClass(size, machine), `${size} (ha=${ha}) -> ${machine.type}`);
    }
  }
});

test("the database class suffix follows the edition: .2c for high availability, .1 for basic", () => {
  assert.deepEqual(
    sizes.map((s) => [databaseMachine(s, true).type, databaseMachine(s, false).type]),
    [
      ["pg.n4.medium.2c", "pg.n4.medium.1"],
      ["pg.n4.large.2c", "pg.n4.large.1"],
      ["pg.n4.xlarge.2c", "pg.n4.xlarge.1"],
      ["pg.n4.2xlarge.2c", "pg.n4.2xlarge.1"],
    ],
  );
  assert.equal(databaseCategory(true), "HighAvailability");
  assert.equal(databaseCategory(false), "Basic");
});

test("distinct sizes never share an instance type", () => {
  assert.equal(new Set(sizes.map((s) => nodeMachine(s).type)).size, sizes.length);
  assert.equal(new Set(sizes.map((s) => databaseMachine(s, true).type)).size, sizes.length);
});
