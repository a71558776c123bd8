import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { bucketName, clusterName, databaseIdentifier, keyAlias, nameRules } from "../../../components/aws/naming";
import { regions } from "../../../config/regions";
import { type NameRule, shortHash } from "../../../lib/naming";

const configName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const pulumiStack = fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/);
const anyText = fc.string({ maxLength: 120 });
const region = fc.constantFrom(...regions.aws);
const seed = fc.record({ name: configName, stack: pulumiStack, region });

const fits = (rule: NameRule, value: string) => {
  assert.ok(value.length <= rule.maxLength, `${value} is longer than ${rule.maxLength}`);
  assert.match(value, rule.pattern);
};

test("bucket names follow the S3 rule for any config name, stack and region", () => {
  fc.assert(fc.property(seed, (s) => fits(nameRules.bucket, bucketName(s))));
});

test("bucket names follow the S3 rule even for arbitrary text, including reserved prefixes", () => {
  const arbitrary = fc.record({ name: anyText, stack: anyText, region });
  fc.assert(fc.property(arbitrary, (s) => fits(nameRules.bucket, bucketName(s))));
  for (const reserved of ["xn--ab", "sthree-x", "amzn-s3-demo-x"]) {
    fits(nameRules.bucket, bucketName({ name: reserved, stack: "aws", region: "eu-central-1" }));
  }
});

test("cluster, database and key alias names follow their service rules for arbitrary text", () => {
  fc.assert(
    fc.property(fc.record({ name: anyText, stack: anyText, region }), (s) => {
      fits(nameRules.cluster, clusterName(s));
      fits(nameRules.database, databaseIdentifier(s));
      fits(nameRules.keyAlias, keyAlias(s));
    }),
  );
});

test("names are deterministic, and differ between stacks that clean up to the same text", () => {
  fc.assert(
    fc.property(seed, (s) => {
      assert.equal(bucketName(s), bucketName({ ...s }));
      assert.equal(clusterName(s), clusterName({ ...s }));
    }),
  );
  const dotted = { name: "warbler", stack: "Dev.EU", region: "eu-central-1" };
  const dashed = { ...dotted, stack: "dev-eu" };
  assert.notEqual(bucketName(dotted), bucketName(dashed));
  assert.notEqual(clusterName(dotted), clusterName(dashed));
  assert.notEqual(databaseIdentifier(dotted), databaseIdentifier(dashed));
});

test("the same stack in two regions gets two bucket names, since S3 names are global", () => {
  fc.assert(
    fc.property(seed, (s) => {
      assert.notEqual(bucketName({ ...s, region: "eu-central-1" }), bucketName({ ...s, region: "us-east-1" }));
    }),
  );
});

test("names stay readable: they start with the config name and stack when those fit", () => {
  const s = { name: "warbler", stack: "aws", region: "eu-central-1" };
  assert.match(bucketName(s), /^warbler-aws-files-[0-9a-f]{8}$/);
  assert.match(clusterName(s), /^warbler-aws-[0-9a-f]{8}$/);
  assert.match(databaseIdentifier(s), /^warbler-aws-pg-[0-9a-f]{8}$/);
  assert.match(keyAlias(s), /^alias\/warbler-aws-[0-9a-f]{8}$/);
});

test("a long stack name is cut, never the hash that keeps names unique", () => {
  const stack = "s".repeat(100);
  const name = bucketName({ name: "warbler", stack, region: "eu-central-1" });
  assert.equal(name.length, 63);
  assert.ok(name.endsWith(`-${shortHash(["bucket", "warbler", stack, "eu-central-1"])}`));
});

test("known names stay the same (renaming one would replace a live resource)", () => {
  const s = { name: "warbler", stack: "aws", region: "eu-central-1" };
  assert.deepEqual(
    [bucketName(s), clusterName(s), databaseIdentifier(s), keyAlias(s)],
    ["warbler-aws-files-6f72e3cf", "warbler-aws-26c8a35d", "warbler-aws-pg-83a2bc53", "alias/warbler-aws-f72526cc"],
  );
});
