import assert from "node:assert/strict";
import { before, test } from "node:test";
import { AwsCluster } from "../../../components/aws/cluster";
import { AwsDatabase } from "../../../components/aws/database";
import { AwsKey } from "../../../components/aws/key";
import { AwsKit } from "../../../components/aws/kit";
import { imNodeGroupPlan } from "../../../components/aws/node-pool";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";
import { exampleRawConfig, withValue } from "../../support/stack-config";

/** The example stack with every option that changes the AWS resources turned the other way. */
let raw = exampleRawConfig("aws");
raw = withValue(raw, "warbler:region", [], "ap-northeast-1");
raw = withValue(raw, "warbler:network", ["zones"], 2);
raw = withValue(raw, "warbler:cluster", ["publicAccessCidrs"], ["203.0.113.0/24", "198.51.100.7/32"]);
raw = withValue(
  raw,
  "warbler:cluster",
  ["nodePools"],
  [
    { name: "im", size: "large", min: 2, max: 8 },
    { name: "system", size: "small", min: 1, max: 2 },
  ],
);
raw = withValue(raw, "warbler:database", ["highAvailability"], false);
raw = withValue(raw, "warbler:database", ["backupRetentionDays"], 7);
raw = withValue(raw, "warbler:database", ["deletionProtection"], false);
raw = withValue(raw, "warbler:database", ["version"], "17");
raw = withValue(raw, "warbler:storage", ["expireAfterDays"], 90);
const config = loadConfig(raw, { cloudRules: kitDescriptors }) as PlatformConfig;
let resources: PlannedResource[] = [];

before(async () => {
  const recorded = await recordProgram(
    () => {
      new AwsKit("warbler-aws", { config, stack: "staging" });
    },
    {
      project: "warbler",
      stack: "staging",
      region: config.region,
      accountId: "123456789012",
      subscriptionId: "unused",
    },
    providerMocks,
  );
  resources = recorded.resources;
});

const ofType = (type: string) => resources.filter((r) => r.type === type);
const one = (type: string) => {
  const found = ofType(type);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0];
};

test("publicAccessCidrs opens the API endpoint to exactly those CIDRs, keeping private access", () => {
  const vpc = one("aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>;
  assert.equal(vpc.endpointPrivateAccess, true);
  assert.equal(vpc.endpointPublicAccess, true);
  assert.deepEqual(vpc.publicAccessCidrs, ["203.0.113.0/24", "198.51.100.7/32"]);
});

test("two zones give two subnets per tier and two NAT gateways, in the region's existing zones", () => {
  assert.equal(ofType("aws:ec2/subnet:Subnet").length, 6);
  assert.equal(ofType("aws:ec2/natGateway:NatGateway").length, 2);
  assert.deepEqual([...new Set(ofType("aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone))].sort(), [
    "ap-northeast-1a",
    "ap-northeast-1c",
  ]);
  assert.equal(one("pulumi:providers:aws").inputs.region, "ap-northeast-1");
});

test("each node pool becomes its own node group with its own size and bounds, next to the ejabberd group", () => {
  const groups = ofType("aws:eks/nodeGroup:NodeGroup").map((g) => ({
    pool: (g.inputs.labels as Record<string, string>)["warbler.io/pool"],
    types: g.inputs.instanceTypes,
    scaling: g.inputs.scalingConfig,
  }));
  assert.deepEqual(
    groups.sort((a, b) => a.pool.localeCompare(b.pool)),
    [
      { pool: "ejabberd", types: ["r7i.4xlarge"], scaling: { minSize: 3, maxSize: 4, desiredSize: 3 } },
      { pool: "im", types: ["m6i.2xlarge"], scaling: { minSize: 2, maxSize: 8, desiredSize: 2 } },
      { pool: "system", types: ["m6i.large"], scaling: { minSize: 1, maxSize: 2, desiredSize: 1 } },
    ],
  );
  assert.equal(ofType("aws:ec2/launchTemplate:LaunchTemplate").length, 3);
});

test(
  "the database follows config: single-AZ, 7-day retention, no deletion protection, PostgreSQL 17, still " +
    "encrypted and private",
  () => {
    const db = one("aws:rds/instance:Instance");
    assert.equal(db.inputs.multiAz, false);
    assert.equal(db.inputs.backupRetentionPeriod, 7);
    assert.equal(db.inputs.deletionProtection, false);
    assert.equal(db.inputs.engineVersion, "17");
    assert.equal(one("aws:rds/parameterGroup:ParameterGroup").inputs.family, "postgres17");
    assert.equal(db.inputs.storageEncrypted, true);
    assert.equal(db.inputs.publiclyAccessible, false);
  },
);

test("expireAfterDays adds an expiration rule for current files", () => {
  const lifecycle = ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find(
    (r) => r.name === "warbler-aws-bucket-lifecycle",
  );
  const rules = lifecycle?.inputs.rules as Record<string, unknown>[];
  assert.deepEqual(
    rules.map((r) => [r.id, r.expiration]),
    [
      ["expire-old-versions", undefined],
      ["expire-files", { days: 90 }],
    ],
  );
});

test("components refuse bad arguments, listing every problem with the key, the value and what is allowed", () => {
  assert.throws(
    () =>
      new AwsKey("bad-key", {
        alias: "alias/x",
        accountId: "1",
        region: "eu-central-1",
        deletionWindowInDays: 3,
        rotationPeriodInDays: 5000,
      }),
    (err: Error) =>
      err.message.startsWith("invalid AwsKey 'bad-key':\n  - ") &&
      /'deletionWindowInDays' \(3\) must be an integer from 7 to 30/.test(err.message) &&
      /'rotationPeriodInDays' \(5000\)/.test(err.message),
  );
  assert.throws(
    () =>
      new AwsCluster("bad-cluster", {
        clusterName: "c",
        version: "1.35",
        region: "eu-central-1",
        subnetIds: [],
        keyArn: "k",
        publicAccessCidrs: ["0.0.0.0/0"],
        privateAccessCidrs: ["0.0.0.0/0"],
        adminPrincipals: ["arn:aws:sts::123456789012:assumed-role/ci/session"],
        nodePools: [],
      }),
    (err: Error) =>
      /'nodePools' \(\[\]\) must list at least one pool/.test(err.message) &&
      /'publicAccessCidrs\[0\]' \("0\.0\.0\.0\/0"\)/.test(err.message) &&
      /'privateAccessCidrs\[0\]' \("0\.0\.0\.0\/0"\)/.test(err.message) &&
      /'adminPrincipals\[0\]'.*IAM role or user ARN/.test(err.message),
  );
  assert.throws(
    () =>
      new AwsCluster("clashing-cluster", {
        clusterName: "c",
        version: "1.35",
        region: "eu-central-1",
        subnetIds: [],
        keyArn: "k",
        nodePools: [{ name: "ejabberd", size: "large", min: 1, max: 2 }],
        imNodeGroup: imNodeGroupPlan({ sessionsPerInstance: 1_000_000 }),
      }),
    (err: Error) =>
      /'nodePools\[0\]\.name' \("ejabberd"\) is the dedicated ejabberd node group's name/.test(err.message),
  );
  assert.throws(
    () =>
      new AwsDatabase("bad-db", {
        identifier: "d",
        version: "16",
        size: "small",
        storageGb: 10,
        highAvailability: true,
        backupRetentionDays: 40,
        deletionProtection: true,
        region: "eu-central-1",
        vpcId: "v",
        subnetIds: [],
        clientCidrs: ["10.0.0.0/24"],
        keyArn: "k",
        parameters: [{ name: "rds.force_ssl", value: "0" }],
      }),
    (err: Error) =>
      /'parameters\[0\]\.name' \("rds\.force_ssl"\) is set by the kit/.test(err.message) &&
      /'storageGb' \(10\)/.test(err.message) &&
      /'backupRetentionDays' \(40\)/.test(err.message),
  );
});
