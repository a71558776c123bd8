import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { countLines, MAX_LINES, oversizedFiles } from "../../../scripts/check-file-size";

describe("file size", () => {
  it(`keeps every source file outside test/ at ${MAX_LINES} lines or fewer`, () => {
    const offenders = oversizedFiles();
    assert.deepEqual(
      offenders,
      [],
      `split by concern: ${offenders.map((f) => `${f.path} (${f.lines} lines)`).join(", ")}`,
    );
  });

  it("counts lines as wc -l does, plus a last line without a newline", () => {
    const table: [string, number][] = [
      ["", 0],
      ["a", 1],
      ["a\n", 1],
      ["a\nb", 2],
      ["a\n\n", 2],
    ];
    for (const [text, lines] of table) assert.equal(countLines(text), lines, JSON.stringify(text));
  });

  it("names a planted file one line over the limit, and skips test/, node_modules/, out/ and non-source files", () => {
    const dir = mkdtempSync(join(tmpdir(), "warbler-layout-"));
    try {
      const lines = (n: number) => "x;\n".repeat(n);
      for (const sub of ["components/aws", "test/unit", "node_modules/pkg", "out", "docs"])
        mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, "components/aws/big.ts"), lines(MAX_LINES + 1));
      writeFileSync(join(dir, "components/aws/fits.ts"), lines(MAX_LINES));
      writeFileSync(join(dir, "test/unit/big.test.ts"), lines(MAX_LINES * 3));
      writeFileSync(join(dir, "node_modules/pkg/index.js"), lines(MAX_LINES * 3));
      writeFileSync(join(dir, "out/plan.js"), lines(MAX_LINES * 3));
      writeFileSync(join(dir, "docs/long.md"), lines(MAX_LINES * 3));
      assert.deepEqual(oversizedFiles(dir), [{ path: "components/aws/big.ts", lines: MAX_LINES + 1 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
