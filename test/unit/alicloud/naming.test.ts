import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  accountName,
  bucketName,
  databaseEndpointPrefix,
  kmsAliasName,
  logProjectName,
  nameRules,
} from "../../../components/alicloud/naming";
import type { NameRule, NameSeed } from "../../../lib/naming";

const pulumiStack = fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/);
const configName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const region = fc.constantFrom("eu-central-1", "cn-hangzhou", "ap-southeast-1", "us-east-1");
const seed: fc.Arbitrary<NameSeed> = fc.record({ name: configName, stack: pulumiStack, region });

const fits = (rule: NameRule, value: string) => {
  assert.ok(value.length <= rule.maxLength, `${value} is longer than ${rule.maxLength}`);
  assert.match(value, rule.pattern);
  assert.ok(!value.includes("--"), value);
};

test("bucket, log project, KMS alias and endpoint names follow their rules for any stack name", () => {
  fc.assert(
    fc.property(seed, (s) => {
      fits(nameRules.ossBucket, bucketName(s));
      fits(nameRules.logProject, logProjectName(s));
      fits(nameRules.kmsAlias, kmsAliasName(s));
      fits(nameRules.databaseEndpoint, databaseEndpointPrefix(s));
    }),
  );
});

test("account-scoped names follow every rule they are cut to, for any stack and role", () => {
  fc.assert(
    fc.property(seed, fc.string({ maxLength: 40 }), fc.constantFrom(...Object.values(nameRules)), (s, role, rule) => {
      if (rule !== nameRules.kmsAlias) fits(rule, accountName(s, role, rule));
    }),
  );
});

test("bucket and log project names are deterministic and differ between regions and stacks", () => {
  fc.assert(
    fc.property(configName, pulumiStack, pulumiStack, (name, a, b) => {
      const eu = { name, stack: a, region: "eu-central-1" };
      const cn = { ...eu, region: "cn-hangzhou" };
      assert.equal(bucketName(eu), bucketName({ ...eu }));
      assert.notEqual(bucketName(eu), bucketName(cn));
      assert.notEqual(logProjectName(eu), logProjectName(cn));
      if (a !== b) assert.notEqual(bucketName(eu), bucketName({ ...eu, stack: b }));
    }),
  );
});

test("names that must be shortened stay distinct through their hash suffix", () => {
  const long = "x".repeat(100);
  const a = accountName({ name: "warbler", stack: `${long}-a`, region: "eu-central-1" }, "im", nameRules.ramRole);
  const b = accountName({ name: "warbler", stack: `${long}-b`, region: "eu-central-1" }, "im", nameRules.ramRole);
  assert.ok(a.length <= 64 && b.length <= 64);
  assert.notEqual(a, b);
});

test("known names are locked, so a refactor cannot silently rename a live resource", () => {
  const s = { name: "warbler", stack: "alicloud", region: "eu-central-1" };
  assert.equal(bucketName(s), "warbler-alicloud-files-9abc5971");
  assert.equal(accountName(s, "rds-kms", nameRules.ramRole), "warbler-alicloud-rds-kms");
  assert.equal(kmsAliasName(s), "alias/warbler-alicloud-data");
});
