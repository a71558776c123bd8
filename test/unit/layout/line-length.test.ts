import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { longLines, MAX_COLUMNS } from "../../../scripts/check-line-length";

describe("line length", () => {
  it(`keeps every .ts/.js/.cjs/.sh line at ${MAX_COLUMNS} characters or fewer`, () => {
    const offenders = longLines();
    assert.deepEqual(offenders, [], `wrap: ${offenders.map((l) => `${l.path}:${l.line}`).join(", ")}`);
  });

  it("names a planted 121-character line by file:line, tests included; skips node_modules/, out/, other files", () => {
    const dir = mkdtempSync(join(tmpdir(), "warbler-layout-"));
    try {
      const long = "x".repeat(MAX_COLUMNS + 1);
      const fits = "x".repeat(MAX_COLUMNS);
      for (const sub of ["lib", "test/unit", "scripts", "node_modules/pkg", "out", "docs"])
        mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, "lib/a.ts"), `const a = 1;\n${long}\n${fits}\n`);
      writeFileSync(join(dir, "lib/fits.js"), `${fits}\n${"é".repeat(MAX_COLUMNS)}\n`);
      writeFileSync(join(dir, "test/unit/b.test.ts"), `${long}\n`);
      writeFileSync(join(dir, "scripts/c.sh"), `#!/bin/sh\n\n${long}`);
      writeFileSync(join(dir, ".dependency-cruiser.cjs"), `${fits}\r\n`);
      writeFileSync(join(dir, "node_modules/pkg/index.js"), `${long}\n`);
      writeFileSync(join(dir, "out/plan.js"), `${long}\n`);
      writeFileSync(join(dir, "docs/long.md"), `${long}\n`);
      assert.deepEqual(longLines(dir), [
        { path: "lib/a.ts", line: 2, length: MAX_COLUMNS + 1 },
        { path: "scripts/c.sh", line: 3, length: MAX_COLUMNS + 1 },
        { path: "test/unit/b.test.ts", line: 1, length: MAX_COLUMNS + 1 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
