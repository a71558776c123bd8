import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { renderConfigDocs } from "../../../config/docs";

describe("docs/config.md", () => {
  it("is exactly what the schema generates (run `npm run docs:config` after changing the schema)", () => {
    const committed = readFileSync(join(__dirname, "..", "..", "..", "docs", "config.md"), "utf8");
    assert.equal(committed, renderConfigDocs());
  });

  it("documents every key with its default and allowed values", () => {
    const docs = renderConfigDocs();
    assert.match(docs, /\| `warbler:database.backupRetentionDays` \| integer \| no \| `14` \| 7 to 35 \|/);
    assert.match(docs, /\| `warbler:cloud` \| string \| yes \| {2}\| `aws`, `azure`, `alicloud` \|/);
    assert.match(docs, /- `warbler:alertWebhook`/);
    assert.match(
      docs,
      /\| `warbler:dns.intervalSeconds` \| number \| no \| `10` \| `10`, `30` \|/,
      "a choice of fixed values lists every value",
    );
  });
});
