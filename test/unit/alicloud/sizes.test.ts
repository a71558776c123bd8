import assert from "node:assert/strict";
import { test } from "node:test";
import {
  acceptsCustomerKey,
  basicDatabaseSizes,
  databaseCategory,
  databaseMachine,
  databaseSizes,
  nodeSizes,
} from "../../../components/alicloud/sizes";
import { sizeClass, sizes } from "../../../config/clouds";

test("every abstract size maps to an ECS node type with exactly the vCPU and memory of its class", () => {
  for (const size of sizes) {
    const { type, vcpu, memoryGiB } = nodeSizes[size];
    assert.deepEqual({ vcpu, memoryGiB }, sizeClass[size], `${size} -> ${type}`);
    assert.match(type, /^ecs\.g7\./);
  }
});

test("every size maps to an RDS class of its capacity; Basic only where a dedicated 1:4 class exists", () => {
  for (const size of sizes) {
    for (const ha of [true, false]) {
      const machine = databaseMachine(size, ha);
      if (!ha && machine === undefined) continue;
      assert.ok(machine, `${size} (ha=${ha})`);
      assert.deepEqual({ vcpu: machine.vcpu, memoryGiB: machine.memoryGiB }, sizeClass[size], machine.type);
    }
  }
  assert.deepEqual(Object.keys(basicDatabaseSizes), ["xlarge"]);
});

// The stack key encrypts the database disks; RDS PostgreSQL takes a customer key only on dedicated classes,
// general-purpose ones take only the service key ("Choose a key type", https://www.alibabacloud.com/help/en/rds/
// apsaradb-rds-for-postgresql/configure-disk-encryption-for-an-apsaradb-rds-for-postgresql-instance). Class names:
// "Primary ApsaraDB RDS for PostgreSQL instance types" (dedicated pg.x4.*.2c HA; Basic dedicated 1:4 only
// pg.x4.2xlarge.1).
test("every database class is a dedicated one, so the stack's customer key may encrypt it", () => {
  assert.deepEqual(
    sizes.map((s) => [databaseMachine(s, true)?.type, databaseMachine(s, false)?.type]),
    [
      ["pg.x4.medium.2c", undefined],
      ["pg.x4.large.2c", undefined],
      ["pg.x4.xlarge.2c", undefined],
      ["pg.x4.2xlarge.2c", "pg.x4.2xlarge.1"],
    ],
  );
  for (const s of sizes) assert.ok(acceptsCustomerKey(databaseSizes[s].type), databaseSizes[s].type);
  assert.equal(acceptsCustomerKey("pg.n4.2c.2m"), false, "general-purpose takes only the service key");
  assert.equal(databaseCategory(true), "HighAvailability");
  assert.equal(databaseCategory(false), "Basic");
});

test("the High-availability edition is the database size table itself", () => {
  for (const size of sizes) assert.deepEqual(databaseMachine(size, true), databaseSizes[size]);
});

test("distinct sizes never share an instance type", () => {
  assert.equal(new Set(sizes.map((s) => nodeSizes[s].type)).size, sizes.length);
  assert.equal(new Set(sizes.map((s) => databaseSizes[s].type)).size, sizes.length);
});
