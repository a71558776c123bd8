import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { clouds } from "../../../config/clouds";
import { REPO } from "../../support/cli";

/**
 * Sibling kits share one file set and one set of shapes (STYLE.md 12): the
 * same idea has the same file name in every kit, and every capability
 * component hands over its slice of the contract the same way, as `outputs`.
 */

/** The files every kit has; each kit's kit.ts names its cloud-only helpers and any reasoned exception. */
const KIT_FILES = [
  "network",
  "key",
  "cluster",
  "node-pool",
  "database",
  "bucket",
  "identity",
  "permissions",
  "storage-class",
  "sizes",
  "versions",
  "zones",
  "naming",
  "load-balancer",
  "turn-address",
  "ca-bundle",
  "vpn",
  "dns",
  "replication",
  "parity",
  "config-rules",
  "mocks",
  "descriptor",
  "kit",
];

/** Files whose ComponentResources are capability components, each with a contract slice. */
const CAPABILITY_FILES = ["network", "key", "cluster", "database", "bucket", "turn-address"];

/** Names of the classes in `file` that extend a ComponentResource, with whether each declares `outputs`. */
function components(file: string): { name: string; hasOutputs: boolean }[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  return source.statements.filter(ts.isClassDeclaration).flatMap((c) => {
    const bases = c.heritageClauses?.flatMap((h) => h.types.map((t) => t.expression.getText(source))) ?? [];
    if (!bases.some((base) => base.endsWith("ComponentResource"))) return [];
    const hasOutputs = c.members.some((m) => ts.isPropertyDeclaration(m) && m.name.getText(source) === "outputs");
    return [{ name: c.name?.text ?? "(anonymous)", hasOutputs }];
  });
}

describe("the three kits", () => {
  for (const cloud of clouds) {
    it(`${cloud} has every file of the shared set`, () => {
      const missing = KIT_FILES.filter((f) => !existsSync(join(REPO, "components", cloud, `${f}.ts`)));
      assert.deepEqual(missing, [], `components/${cloud}/ lacks ${missing.join(", ")}`);
    });

    it(`${cloud}'s capability components and workload identity expose their contract slice as 'outputs'`, () => {
      const file = (f: string) => join(REPO, "components", cloud, `${f}.ts`);
      for (const f of CAPABILITY_FILES) {
        const found = components(file(f));
        assert.ok(found.length > 0, `${f}.ts holds no component`);
        for (const c of found) assert.ok(c.hasOutputs, `${c.name} (${f}.ts) has no 'outputs'`);
      }
      const workload = components(file("identity")).filter((c) => c.name.endsWith("WorkloadIdentity"));
      assert.equal(workload.length, 1, "identity.ts holds one <Cloud>WorkloadIdentity");
      assert.ok(workload[0].hasOutputs, `${workload[0].name} has no 'outputs'`);
    });
  }
});
