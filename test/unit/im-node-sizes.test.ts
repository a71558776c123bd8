import assert from "node:assert/strict";
import { test } from "node:test";
import { imNodeSizes as alicloud } from "../../components/alicloud/sizes";
import { imNodeSizes as aws } from "../../components/aws/sizes";
import { imNodeSizes as azure } from "../../components/azure/sizes";
import { memoryOptimisedShapes, shapeKey } from "../../lib/im-sizing";

/**
 * "Identical" for the ejabberd nodes: every memory-optimised shape the sizing may ask for (lib/im-sizing.ts) is, on
 * every cloud, an instance type of exactly that vCPU count and memory. Each kit's own test cites the cloud's
 * specification of its types; this one holds the three tables to one list.
 */
test("every kit maps every memory-optimised shape to a type of exactly that shape", () => {
  const keys = memoryOptimisedShapes.map(shapeKey);
  for (const [cloud, table] of Object.entries({ aws, azure, alicloud })) {
    assert.deepEqual(Object.keys(table).sort(), [...keys].sort(), `${cloud}: the shapes`);
    for (const shape of memoryOptimisedShapes) {
      const { vcpu, memoryGiB } = table[shapeKey(shape)];
      assert.deepEqual({ vcpu, memoryGiB }, { ...shape }, `${cloud}: ${shapeKey(shape)}`);
    }
  }
});
