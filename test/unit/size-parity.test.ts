import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as alicloud from "../../components/alicloud/sizes";
import * as aws from "../../components/aws/sizes";
import * as azure from "../../components/azure/sizes";
import { sizeClass, sizes } from "../../config/clouds";

/**
 * "Identical on every cloud" starts with capacity: each abstract size maps,
 * on every cloud, to nodes and databases of exactly the vCPU and memory the
 * size promises (docs/config.md, Sizes).
 */
describe("size tables across the three kits", () => {
  for (const size of sizes) {
    it(`'${size}' is ${sizeClass[size].vcpu} vCPU / ${sizeClass[size].memoryGiB} GiB for nodes and databases on aws, azure and alicloud`, () => {
      const machines = {
        "aws node": aws.nodeSizes[size],
        "aws database": aws.databaseSizes[size],
        "azure node": azure.nodeSizes[size],
        "azure database": azure.databaseSizes[size],
        "alicloud node": alicloud.nodeMachine(size),
        "alicloud database (HA)": alicloud.databaseMachine(size, true),
        "alicloud database (basic)": alicloud.databaseMachine(size, false),
      };
      for (const [what, m] of Object.entries(machines)) {
        assert.deepEqual({ vcpu: m.vcpu, memoryGiB: m.memoryGiB }, sizeClass[size], what);
      }
    });
  }
});
