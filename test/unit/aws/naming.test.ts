import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { bucketName, clusterName, databaseIdentifier, keyAlias, nameRules, shortHash } from "../../../components/aws/naming";
import { regions } from "../../../config/regions";

const configName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const pulumiStack = fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/);
const anyText = fc.string({ maxLength: 120 });
const region = fc.constantFrom(...regions.aws);

const fits = (rule: { maxLength: number; pattern: RegExp }, value: string) => {
  assert.ok(value.length <= rule.maxLength, `${value} is longer than ${rule.maxLength}`);
  assert.match(value, rule.pattern);
};

test("bucket names follow the S3 rule for any config name, stack and region", () => {
  fc.assert(fc.property(configName, pulumiStack, region, (name, stack, r) => fits(nameRules.bucket, bucketName(name, stack, r))));
});

test("bucket names follow the S3 rule even for arbitrary text, including reserved prefixes", () => {
  fc.assert(fc.property(anyText, anyText, region, (name, stack, r) => fits(nameRules.bucket, bucketName(name, stack, r))));
  for (const reserved of ["xn--ab", "sthree-x", "amzn-s3-demo-x"]) fits(nameRules.bucket, bucketName(reserved, "aws", "eu-central-1"));
});

test("cluster, database and key alias names follow their service rules for arbitrary text", () => {
  fc.assert(
    fc.property(anyText, anyText, (name, stack) => {
      fits(nameRules.cluster, clusterName(name, stack));
      fits(nameRules.database, databaseIdentifier(name, stack));
      fits(nameRules.keyAlias, keyAlias(name, stack));
    }),
  );
});

test("names are deterministic, and differ between stacks that clean up to the same text", () => {
  fc.assert(
    fc.property(configName, pulumiStack, region, (name, stack, r) => {
      assert.equal(bucketName(name, stack, r), bucketName(name, stack, r));
      assert.equal(clusterName(name, stack), clusterName(name, stack));
    }),
  );
  assert.notEqual(bucketName("warbler", "Dev.EU", "eu-central-1"), bucketName("warbler", "dev-eu", "eu-central-1"));
  assert.notEqual(clusterName("warbler", "Dev.EU"), clusterName("warbler", "dev-eu"));
  assert.notEqual(databaseIdentifier("warbler", "Dev.EU"), databaseIdentifier("warbler", "dev-eu"));
});

test("the same stack in two regions gets two bucket names, since S3 names are global", () => {
  fc.assert(
    fc.property(configName, pulumiStack, (name, stack) => {
      assert.notEqual(bucketName(name, stack, "eu-central-1"), bucketName(name, stack, "us-east-1"));
    }),
  );
});

test("names stay readable: they start with the config name and stack when those fit", () => {
  assert.match(bucketName("warbler", "aws", "eu-central-1"), /^warbler-aws-files-[0-9a-f]{8}$/);
  assert.match(clusterName("warbler", "aws"), /^warbler-aws-[0-9a-f]{8}$/);
  assert.match(databaseIdentifier("warbler", "aws"), /^warbler-aws-pg-[0-9a-f]{8}$/);
  assert.match(keyAlias("warbler", "aws"), /^alias\/warbler-aws-[0-9a-f]{8}$/);
});

test("a long stack name is cut, never the hash that keeps names unique", () => {
  const stack = "s".repeat(100);
  const name = bucketName("warbler", stack, "eu-central-1");
  assert.equal(name.length, 63);
  assert.ok(name.endsWith(`-${shortHash("bucket", "warbler", stack, "eu-central-1")}`));
});
