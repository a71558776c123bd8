import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { alphanumeric, boundedName, fit, HASH_LENGTH, letterFirst, shortHash, slug } from "../../lib/naming";

const STRICT = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const anyText = fc.string({ unit: "binary", maxLength: 80 });
const hashLike = fc.stringMatching(/^[a-z0-9]{1,10}$/);
const someParts = fc.array(anyText, { maxLength: 4 });
const limit = fc.integer({ min: 11, max: 255 });

test("slug keeps lowercase letters and digits, joined by single dashes, with no dash at either end", () => {
  const table: [string, string][] = [
    ["Prod_EU.1", "prod-eu-1"],
    ["--a--b--", "a-b"],
    ["a-_-b", "a-b"],
    ["___", ""],
  ];
  for (const [text, expected] of table) assert.equal(slug(text), expected, text);
  fc.assert(fc.property(anyText, (text) => assert.match(slug(text), /^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/)));
  assert.equal(alphanumeric("Warbler-Azure_2"), "warblerazure2");
});

test("letterFirst prefixes only text that does not start with a letter", () => {
  assert.equal(letterFirst("9lives", "w"), "w9lives");
  assert.equal(letterFirst("", "kv"), "kv");
  assert.equal(letterFirst("vault", "kv"), "vault");
});

test("fit cuts the base, never the suffix, and leaves no dash at the cut", () => {
  assert.equal(fit("warbler-azure", "rg", 90), "warbler-azure-rg");
  assert.equal(fit("abc-defgh", "12345678", 13), "abc-12345678");
  assert.equal(fit("warblerazure", "87038963", 16, ""), "warblera87038963");
  assert.equal(fit("", "12345678", 20), "12345678", "the suffix alone when no base is left");
  fc.assert(
    fc.property(fc.string(), hashLike, fc.integer({ min: 12, max: 100 }), (base, suffix, max) => {
      const name = fit(slug(base), suffix, max);
      assert.ok(name.length <= max, name);
      assert.ok(name.endsWith(suffix), name);
      assert.ok(!name.includes("--"), name);
    }),
  );
});

test("shortHash is the first hex digits of SHA-256 over the joined parts, so deployed names keep their hash", () => {
  assert.equal(shortHash(["a", "b"]).length, HASH_LENGTH);
  assert.equal(shortHash(["a", "b"], 6).length, 6);
  assert.notEqual(shortHash(["a", "b"]), shortHash(["a/b"]), "parts are joined by NUL unless told otherwise");
  assert.equal(shortHash(["a", "b"], 8, "/"), shortHash(["a/b"]));
});

test("bounded names of arbitrary text stay within the limit and the strict character set", () => {
  fc.assert(
    fc.property(someParts, limit, fc.boolean(), (parts, max, unique) => {
      const n = boundedName(parts, max, unique ? parts : undefined);
      assert.ok(n.length <= max, `${n} longer than ${max}`);
      assert.match(n, STRICT);
    }),
  );
  assert.throws(() => boundedName(["a"], 10), /maxLength \(10\) must be at least 11/);
});

test("bounded names are kept readable when they fit, and hashed when cut or unique", () => {
  assert.equal(boundedName(["warbler", "alicloud", "rds-kms"], 64), "warbler-alicloud-rds-kms");
  assert.match(boundedName(["warbler", "x".repeat(80)], 64), /^warbler-x+-[0-9a-f]{8}$/);
  assert.match(boundedName(["warbler", "files"], 63, ["seed"]), /^warbler-files-[0-9a-f]{8}$/);
});
