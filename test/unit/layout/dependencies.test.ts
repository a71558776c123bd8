import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type DependencyViolation, dependencyViolations, formatViolations } from "../../../scripts/check-dependencies";
import { REPO } from "../../support/cli";

describe("the rooms' dependency rules (.dependency-cruiser.cjs)", () => {
  it("hold across config, lib, components, charts, failover, plan, local, cli, stacks, policies and scripts", () => {
    const violations = dependencyViolations();
    assert.equal(violations.length, 0, `dependency rules broken:\n${formatViolations(violations)}`);
  });
});

/**
 * A small tree with one planted violation per rule, beside imports the rules allow. Each
 * line is "path: source" (imports only; every module also exports something).
 */
const PLANTED: Record<string, string> = {
  "lib/clean.ts": ``,
  "lib/reaches-up.ts": `import { schema } from "../config/schema";`,
  "config/schema.ts": `import { clean } from "../lib/clean";`,
  "config/kit-rule.ts": `import { kit } from "../components/aws/kit";`,
  "components/contract.ts": ``,
  "components/aws/kit.ts": `import * as aws from "@pulumi/aws";\nimport { sizes } from "./sizes";`,
  "components/aws/sizes.ts": ``,
  "components/azure/kit.ts": `import { kit } from "../aws/kit";`,
  "components/kits.ts": `import { kit } from "./aws/kit";`,
  "components/platform.ts":
    `import * as aws from "@pulumi/aws";\nimport { contract } from "./contract";\nimport { kit } from ` +
    `"./azure/kit";`,
  "components/alicloud/kit.ts": `import { a } from "../../plan/a";`,
  "components/failover/link.ts":
    `import { engine } from "../../failover/engine";\n` + `import { sql } from "../../failover/replication-sql";`,
  "failover/replication-sql.ts": `import { step } from "./sql-step";`,
  "failover/sql-step.ts": `import { execFile } from "node:child_process";`,
  "failover/engine.ts": `import { writeFileSync } from "node:fs";`,
  "failover/drill/run.ts":
    `import { engine } from "../engine";\nimport { clean } from "../../lib/clean";\nimport { schema } from ` +
    `"../../config/schema";\nimport { platform } from "../../components/platform";`,
  "local/runner.ts":
    `import { chart } from "../charts/im/chart";\nimport { clean } from "../lib/clean";\nimport { engine } from ` +
    `"../failover/engine";`,
  "stacks/program.ts":
    `import { platform } from "../components/platform";\nimport { schema } from "../config/schema";\nimport { ` +
    `runner } from "../local/runner";`,
  "scripts/bench.ts":
    `import { runner } from "../local/runner";\nimport { clean } from "../lib/clean";\nimport { program } from ` +
    `"../stacks/program";`,
  "charts/im/chart.ts":
    `import * as pulumi from "@pulumi/pulumi";\nimport { contract } from "../../components/contract";\nimport { ` +
    `clean } from "../../lib/clean";`,
  "plan/a.ts": `import { b } from "./b";`,
  "plan/b.ts":
    `import { a } from "./a";\nimport { main } from "../cli/main";\nimport { helper } from ` +
    `"../test/support/helper";\nimport { gone } from "./missing";`,
  "cli/main.ts": ``,
  "policies/aws/ec2/typed.ts": `import type { SecurityGroupArgs } from "@pulumi/aws/ec2";`,
  "policies/aws/ec2/loads.ts": `import { ec2 } from "@pulumi/aws";`,
  "policies/azure/network/borrows.ts": `import type { SecurityGroupArgs } from "@pulumi/aws/ec2";`,
  "policies/aws/ec2/reaches-out.ts":
    `import { typed } from "./typed";\nimport { schema } from ` + `"../../../config/schema";`,
  "test/support/helper.ts": ``,
  "test/cli.test.ts": `import { main } from "../cli/main";\nimport { kit } from "../components/aws/kit";`,
};

const EXPECTED = [
  "aws-policies-import-sdk-types-only policies/aws/ec2/loads.ts → @pulumi/aws",
  "aws-sdk-only-in-its-kit components/platform.ts → @pulumi/aws",
  "aws-sdk-only-in-its-kit policies/azure/network/borrows.ts → @pulumi/aws",
  "charts-import-only-lib-and-config charts/im/chart.ts → components/contract.ts",
  "charts-know-no-pulumi charts/im/chart.ts → @pulumi/pulumi",
  "components-import-no-runner components/alicloud/kit.ts → plan/a.ts",
  "components-import-only-pure-failover components/failover/link.ts → failover/engine.ts",
  "config-imports-only-lib config/kit-rule.ts → components/aws/kit.ts",
  "failover-imports-only-lib-and-config failover/drill/run.ts → components/platform.ts",
  "failover-pure-modules-stay-pure failover/replication-sql.ts → child_process",
  "failover-pure-modules-stay-pure failover/sql-step.ts → child_process",
  "imports-resolve plan/b.ts → ./missing",
  "kit-imports-no-other-kit components/azure/kit.ts → components/aws/kit.ts",
  "lib-imports-nothing-of-ours lib/reaches-up.ts → config/schema.ts",
  "local-imports-only-lib-config-and-charts local/runner.ts → failover/engine.ts",
  "no-circular plan/a.ts → plan/b.ts",
  "nothing-imports-cli plan/b.ts → cli/main.ts",
  "nothing-imports-tests plan/b.ts → test/support/helper.ts",
  "only-the-registry-imports-kits components/platform.ts → components/azure/kit.ts",
  "only-the-registry-imports-kits config/kit-rule.ts → components/aws/kit.ts",
  "policies-import-only-policies policies/aws/ec2/reaches-out.ts → config/schema.ts",
  "scripts-import-only-lib-config-and-local scripts/bench.ts → stacks/program.ts",
  "stacks-import-only-config-and-components stacks/program.ts → local/runner.ts",
];

/** "rule from → to", with a package named by its package name rather than its resolved file. */
const describeViolation = (v: DependencyViolation): string =>
  `${v.rule} ${v.from} → ${v.to.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, "$1").replace(/^node:/, "")}`;

describe("the dependency check", () => {
  let dir: string;
  let found: DependencyViolation[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "warbler-layout-"));
    for (const [path, imports] of Object.entries(PLANTED)) {
      const name = path.replace(/^.*\/|\.(test\.)?ts$/g, "").replace(/-/g, "_");
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), `${imports}\nexport const ${name} = 1;\n`);
    }
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", strict: true } }),
    );
    symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
    found = dependencyViolations({
      cwd: dir,
      roots: [
        "lib",
        "config",
        "components",
        "failover",
        "charts",
        "plan",
        "local",
        "stacks",
        "cli",
        "policies",
        "scripts",
        "test",
      ],
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "catches each planted violation, and only those: type-only SDK imports in the cloud's policies, a kit's own " +
      "SDK and tests calling cli/ pass",
    () => {
      assert.deepEqual(found.map(describeViolation).sort(), EXPECTED);
    },
  );

  it("reports a cycle once, naming each module in it, and gives every violation its rule's reason", () => {
    const cycle = found.find((v) => v.rule === "no-circular" && v.from === "plan/a.ts");
    assert.ok(cycle, "the plan/a ↔ plan/b cycle is found");
    assert.deepEqual(cycle.cycle, ["plan/b.ts", "plan/a.ts"]);
    for (const v of found) assert.ok(v.reason.length > 20, `${v.rule} explains itself`);
    assert.match(formatViolations(found), /^no-circular: plan\/a\.ts → plan\/b\.ts → plan\/a\.ts$/m);
  });
});
