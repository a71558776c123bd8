import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO } from "../support/cli";

describe("the program entry the Pulumi CLI runs (stacks/index.ts)", () => {
  it(
    "compiles under ts-node with tsconfig.json, reads the stack " + "config from the engine and registers the platform",
    () => {
      const child = spawnSync(process.execPath, [join(REPO, "test", "support", "engine-entry-child.js"), "aws"], {
        cwd: REPO,
        encoding: "utf8",
        timeout: 180_000,
      });
      assert.equal(child.status, 0, child.stderr);
      const { types, outputs } = JSON.parse(child.stdout) as { types: string[]; outputs: string[] };
      assert.ok(types.includes("warbler:index:Platform"), "the Platform component is registered");
      assert.ok(types.includes("aws:eks/cluster:Cluster"), "the kit's cluster is registered");
      assert.ok(types.includes("aws:rds/instance:Instance"), "the kit's database is registered");
      for (const key of ["cloud", "kubeconfig", "databaseHost", "bucketName"])
        assert.ok(outputs.includes(key), `stack output ${key}`);
    },
  );
});
