import assert from "node:assert/strict";
import { test } from "node:test";
import { databaseSizes, databaseTier, flexibleServerStorageGb, nodeSizes } from "../../../components/azure/sizes";
import { sizeClass, sizes } from "../../../config/clouds";

test("every abstract size maps to an AKS VM size with exactly the vCPU and memory of its class", () => {
  for (const size of sizes) {
    assert.deepEqual({ vcpu: nodeSizes[size].vcpu, memoryGiB: nodeSizes[size].memoryGiB }, sizeClass[size], size);
    assert.match(nodeSizes[size].type, new RegExp(`^Standard_D${sizeClass[size].vcpu}s_v5$`));
  }
});

test("every abstract size maps to a General Purpose Flexible Server SKU of the same class", () => {
  assert.equal(databaseTier, "GeneralPurpose");
  for (const size of sizes) {
    assert.deepEqual(
      { vcpu: databaseSizes[size].vcpu, memoryGiB: databaseSizes[size].memoryGiB },
      sizeClass[size],
      size,
    );
    assert.match(databaseSizes[size].type, new RegExp(`^Standard_D${sizeClass[size].vcpu}ds_v5$`));
  }
});

test("requested storage rounds up to the next size Flexible Server offers, never down", () => {
  const table: [number, number][] = [
    [20, 32],
    [32, 32],
    [33, 64],
    [100, 128],
    [1000, 1024],
    [16384, 16384],
  ];
  for (const [requested, expected] of table)
    assert.equal(flexibleServerStorageGb(requested), expected, String(requested));
  assert.throws(() => flexibleServerStorageGb(40000), /'storageGb' \(40000\) exceeds/);
});
