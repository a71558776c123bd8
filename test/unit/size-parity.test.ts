import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as alicloud from "../../components/alicloud/sizes";
import * as aws from "../../components/aws/sizes";
import * as azure from "../../components/azure/sizes";
import type { SizeTable } from "../../components/contract";
import { type Cloud, sizeClass, sizes } from "../../config/clouds";

/** Every kit's sizes.ts, by the common shape: a node table and a database table. */
const kits: Record<Cloud, { nodeSizes: SizeTable; databaseSizes: SizeTable }> = { aws, azure, alicloud };

/**
 * "Identical on every cloud" starts with capacity: each abstract size maps,
 * on every cloud, to nodes and databases of exactly the vCPU and memory the
 * size promises (docs/config.md, Sizes).
 */
describe("size tables across the three kits", () => {
  for (const size of sizes) {
    it(
      `'${size}' is ${sizeClass[size].vcpu} vCPU / ${sizeClass[size].memoryGiB} GiB for nodes and databases on ` +
        `aws, azure and alicloud`,
      () => {
        for (const [cloud, kit] of Object.entries(kits)) {
          for (const [table, machines] of Object.entries({ node: kit.nodeSizes, database: kit.databaseSizes })) {
            const { type, vcpu, memoryGiB } = machines[size];
            assert.deepEqual({ vcpu, memoryGiB }, sizeClass[size], `${cloud} ${table} ${type}`);
          }
        }
      },
    );
  }

  it("every kit names a distinct machine type for each size, in both tables", () => {
    for (const [cloud, kit] of Object.entries(kits)) {
      for (const machines of [kit.nodeSizes, kit.databaseSizes]) {
        assert.deepEqual(Object.keys(machines).sort(), [...sizes].sort(), cloud);
        assert.equal(new Set(sizes.map((s) => machines[s].type)).size, sizes.length, cloud);
      }
    }
  });
});
