import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { accountName, boundedName, bucketName, kmsAliasName, logProjectName, nameLimits, sanitize } from "../../../components/alicloud/naming";

/** OSS bucket and SLS project rule: 3-63 lowercase letters, digits and dashes, starting and ending with a letter or digit. */
const OSS_RULE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const STRICT = /^[a-z][a-z0-9-]*[a-z0-9]$/;

const anyText = fc.string({ unit: "binary", maxLength: 80 });
const pulumiStack = fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/);
const configName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const region = fc.constantFrom("eu-central-1", "cn-hangzhou", "ap-southeast-1", "us-east-1");

test("bucket names follow the OSS rule for any stack name", () => {
  fc.assert(
    fc.property(configName, pulumiStack, region, (name, stack, r) => {
      const n = bucketName(name, stack, r);
      assert.match(n, OSS_RULE);
      assert.ok(!n.includes("--"), n);
    }),
  );
});

test("bucket and log project names are deterministic and differ between regions and stacks", () => {
  fc.assert(
    fc.property(configName, pulumiStack, pulumiStack, (name, a, b) => {
      assert.equal(bucketName(name, a, "eu-central-1"), bucketName(name, a, "eu-central-1"));
      assert.notEqual(bucketName(name, a, "eu-central-1"), bucketName(name, a, "cn-hangzhou"));
      assert.notEqual(logProjectName(name, a, "eu-central-1"), logProjectName(name, a, "cn-hangzhou"));
      if (a !== b) assert.notEqual(bucketName(name, a, "eu-central-1"), bucketName(name, b, "eu-central-1"));
    }),
  );
});

test("log project names follow the SLS rule for any stack name", () => {
  fc.assert(fc.property(configName, pulumiStack, region, (name, stack, r) => assert.match(logProjectName(name, stack, r), OSS_RULE)));
});

test("bounded names of arbitrary text stay within the limit and the strict character set", () => {
  fc.assert(
    fc.property(fc.array(anyText, { maxLength: 4 }), fc.integer({ min: 11, max: 255 }), fc.boolean(), (parts, max, unique) => {
      const n = boundedName(parts, max, unique ? parts : undefined);
      assert.ok(n.length <= max, `${n} longer than ${max}`);
      assert.match(n, STRICT);
    }),
  );
});

test("names that must be shortened stay distinct through their hash suffix", () => {
  const long = "x".repeat(100);
  const a = accountName("warbler", `${long}-a`, "im", nameLimits.ramRole);
  const b = accountName("warbler", `${long}-b`, "im", nameLimits.ramRole);
  assert.ok(a.length <= 64 && b.length <= 64);
  assert.notEqual(a, b);
});

test("short account-scoped names are kept readable, without a hash", () => {
  assert.equal(accountName("warbler", "alicloud", "rds-kms", nameLimits.ramRole), "warbler-alicloud-rds-kms");
  assert.equal(sanitize("Prod_EU.1"), "prod-eu-1");
});

test("KMS aliases carry the alias/ prefix and fit 255 characters", () => {
  fc.assert(
    fc.property(configName, pulumiStack, (name, stack) => {
      const alias = kmsAliasName(name, stack);
      assert.match(alias, /^alias\/[a-z][a-z0-9-]*[a-z0-9]$/);
      assert.ok(alias.length <= 255);
    }),
  );
});

test("a known name is locked, so a refactor cannot silently rename a live bucket", () => {
  assert.equal(bucketName("warbler", "alicloud", "eu-central-1"), "warbler-alicloud-files-9abc5971");
});
