import assert from "node:assert/strict";
import { test } from "node:test";
import { databaseCategory, databaseMachine, databaseSizes, nodeSizes } from "../../../components/alicloud/sizes";
import { sizeClass, sizes } from "../../../config/clouds";

test("every abstract size maps to an ECS node type with exactly the vCPU and memory of its class", () => {
  for (const size of sizes) {
    const { type, vcpu, memoryGiB } = nodeSizes[size];
    assert.deepEqual({ vcpu, memoryGiB }, sizeClass[size], `${size} -> ${type}`);
    assert.match(type, /^ecs\.g7\./);
  }
});

test("every abstract size maps to an RDS class of the same capacity in both editions", () => {
  for (const size of sizes) {
    for (const ha of [true, false]) {
      const { type, vcpu, memoryGiB } = databaseMachine(size, ha);
      assert.deepEqual({ vcpu, memoryGiB }, sizeClass[size], `${size} (ha=${ha}) -> ${type}`);
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

test("the High-availability edition is the database size table itself", () => {
  for (const size of sizes) assert.deepEqual(databaseMachine(size, true), databaseSizes[size]);
});

test("distinct sizes never share an instance type", () => {
  assert.equal(new Set(sizes.map((s) => nodeSizes[s].type)).size, sizes.length);
  assert.equal(new Set(sizes.map((s) => databaseMachine(s, true).type)).size, sizes.length);
});
