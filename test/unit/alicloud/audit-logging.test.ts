import assert from "node:assert/strict";
import { test } from "node:test";
import { accessLogBucketName, accessLogRoleName } from "../../../components/alicloud/access-logs";
import { AlicloudBucket } from "../../../components/alicloud/bucket";
import { serverParameters } from "../../../components/alicloud/database";
import { nameRules } from "../../../components/alicloud/naming";
import { AlicloudNetwork } from "../../../components/alicloud/network";
import { alicloudReplication } from "../../../components/alicloud/replication";
import { replicationParameters } from "../../../components/failover/server-parameters";

const audit = [
  { name: "log_connections", value: "on" },
  { name: "log_disconnections", value: "on" },
  { name: "log_duration", value: "on" },
];

test("server parameters always log connections and disconnections, then add the caller's", () => {
  assert.deepEqual(serverParameters([]), audit);
  assert.deepEqual(serverParameters([{ name: "wal_level", value: "logical" }]), [
    ...audit,
    { name: "wal_level", value: "logical" },
  ]);
});

test("failover's replication parameters keep the audit ones, and reach RDS as name and value only", () => {
  const params = serverParameters(replicationParameters(alicloudReplication.serverParameters, { role: "primary" }));
  assert.deepEqual(params, [...audit, { name: "wal_level", value: "logical" }]);
});

test(
  "a caller may repeat an audit setting unchanged, but not switch it off or set a parameter twice; every " +
    "problem is reported at once",
  () => {
    assert.deepEqual(serverParameters([{ name: "log_connections", value: "on" }]), audit);
    assert.throws(
      () =>
        serverParameters([
          { name: "log_disconnections", value: "off" },
          { name: "wal_level", value: "logical" },
          { name: "wal_level", value: "replica" },
        ]),
      (err: Error) =>
        err.message.includes(
          "'parameters[0].value' (\"off\") must not change the audit setting log_disconnections=on",
        ) && err.message.includes("'parameters[2].name' (\"wal_level\") sets wal_level a second time"),
    );
  },
);

test(
  "the access-log bucket and role names derive from the file bucket, stay within the limits and differ per file " +
    "bucket",
  () => {
    const files = "warbler-alicloud-files-0123abcd";
    assert.match(accessLogBucketName(files), /^warbler-alicloud-files-0123abcd-logs-[0-9a-f]{8}$/);
    assert.equal(accessLogBucketName(files), accessLogBucketName(files));
    assert.notEqual(accessLogBucketName(files), accessLogBucketName("warbler-prod-files-89abcdef"));
    const long = `w${"x".repeat(61)}9`;
    assert.ok(accessLogBucketName(long).length <= nameRules.ossBucket.maxLength);
    assert.ok(accessLogRoleName(long).length <= nameRules.ramRole.maxLength);
    assert.equal(accessLogRoleName(files), "warbler-alicloud-files-0123abcd-logging");
  },
);

test(
  "the network refuses a flow-log retention SLS cannot keep, and the bucket a non-positive access-log " +
    "retention, before creating anything",
  () => {
    const network = { baseName: "w", cidr: "10.0.0.0/16", zones: ["a"], tags: {}, flowLogProject: "p" };
    assert.throws(
      () => new AlicloudNetwork("n", { ...network, flowLogRetentionDays: 0 }),
      /'flowLogRetentionDays' \(0\) must be an integer from 1 to 3650/,
    );
    assert.throws(
      () => new AlicloudNetwork("n", { ...network, flowLogRetentionDays: 3651 }),
      /'flowLogRetentionDays' \(3651\)/,
    );
    const bucket = {
      bucketName: "b",
      region: "eu-central-1",
      keyId: "k",
      noncurrentVersionDays: 1,
      expireAfterDays: 0,
      tags: {},
    };
    assert.throws(
      () => new AlicloudBucket("b", { ...bucket, accessLogRetentionDays: 0 }),
      /'accessLogRetentionDays' \(0\) must be a positive integer/,
    );
  },
);
