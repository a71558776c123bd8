import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { stringify } from "yaml";
import { type CliResult, inBatches, runCli } from "../support/cli";
import { badCases } from "../unit/config/bad-input";

const dir = mkdtempSync(join(tmpdir(), "warbler-bad-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// One CLI run per case, started together (bounded) and awaited by each test.
const runs: Promise<CliResult[]> = inBatches(
  badCases.map((bad, i) => () => {
    const file = join(dir, `Pulumi.bad-${i}.yaml`);
    writeFileSync(file, stringify({ config: bad.raw }));
    return runCli(["plan", file]);
  }),
);

describe("warbler plan on a bad stack file", () => {
  badCases.forEach((bad, i) => {
    it(`exits 2 and names '${bad.key}' for ${bad.name}`, async () => {
      const result = (await runs)[i];
      assert.equal(result.code, 2, result.stderr);
      assert.ok(result.stderr.includes(`'${bad.key}'`), result.stderr);
      assert.match(result.stderr, bad.says);
      assert.doesNotMatch(result.stderr, /\n\s+at .+\(.+:\d+:\d+\)/, "no stack trace for bad input");
    });
  });

  it("exits 2 for a stack name that has no file, and for a file that is not YAML", async () => {
    const missing = await runCli(["plan", "no-such-stack"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no stack file at stacks\/Pulumi\.no-such-stack\.yaml/);
    const file = join(dir, "Pulumi.broken.yaml");
    writeFileSync(file, "config: [unclosed\n");
    const broken = await runCli(["plan", file]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /not valid YAML/);
  });

  it("exits 2 for an encrypted value it cannot read offline", async () => {
    const file = join(dir, "Pulumi.enc.yaml");
    writeFileSync(
      file,
      stringify({ config: { ...badCases[0].raw, "warbler:cloud": "aws", "warbler:domain": { secure: "v1:abc" } } }),
    );
    const result = await runCli(["plan", file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /'warbler:domain' \("\[secret\]"\) is encrypted/);
  });
});
