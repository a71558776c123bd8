import assert from "node:assert/strict";
import { test } from "node:test";
import {
  databaseSizes,
  databaseTier,
  flexibleServerStorageGb,
  imNodeSizes,
  nodeSizes,
} from "../../../components/azure/sizes";
import { sizeClass, sizes } from "../../../config/clouds";
import { memoryOptimisedShapes, shapeKey } from "../../../lib/im-sizing";

test("every abstract size maps to an AKS VM size with exactly the vCPU and memory of its class", () => {
  for (const size of sizes) {
    assert.deepEqual({ vcpu: nodeSizes[size].vcpu, memoryGiB: nodeSizes[size].memoryGiB }, sizeClass[size], size);
    assert.match(nodeSizes[size].type, new RegExp(`^Standard_D${sizeClass[size].vcpu}s_v5$`));
  }
});

// Esv5: E2s_v5 2 vCPU/16 GiB up to E32s_v5 32 vCPU/256 GiB
// (https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/memory-optimized/esv5-series; the E32s_v5 figures
// also in https://learn.microsoft.com/en-us/azure/virtual-machines/constrained-vcpu).
test("every memory-optimised shape maps to the Esv5 size of exactly its vCPU and memory, and no other key", () => {
  assert.deepEqual(Object.keys(imNodeSizes).sort(), memoryOptimisedShapes.map(shapeKey).sort());
  for (const shape of memoryOptimisedShapes) {
    const machine = imNodeSizes[shapeKey(shape)];
    assert.deepEqual({ vcpu: machine.vcpu, memoryGiB: machine.memoryGiB }, shape, machine.type);
    assert.equal(machine.type, `Standard_E${shape.vcpu}s_v5`);
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
