import assert from "node:assert/strict";
import { before, test } from "node:test";
import { AlicloudKit } from "../../../components/alicloud/kit";
import { kitDescriptors } from "../../../components/kits";
import { ConfigError, loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";
import { testCertificate } from "../../support/certificates";

const apsaraDbCa = testCertificate("/CN=Test ApsaraDB Root", "ca").pem;

/** A second config, different in every setting the kit turns into inputs, to prove they come from config. */
const config = loadConfig(
  {
    ...readStackFile("alicloud").config,
    "warbler:region": "cn-hangzhou",
    "warbler:network": { cidr: "10.60.0.0/18", zones: 2 },
    "warbler:cluster": {
      version: "1.35",
      privateAccessCidrs: ["10.60.63.0/24"],
      auditLogRetentionDays: 200,
      nodePools: [
        { name: "im", size: "xlarge", min: 2, max: 10 },
        { name: "turn", size: "small", min: 1, max: 4 },
      ],
    },
    "warbler:database": {
      version: "17",
      // The only size with a dedicated Basic-edition class the stack key can encrypt (sizes.ts).
      size: "xlarge",
      storageGb: 50,
      highAvailability: false,
      backupRetentionDays: 7,
      deletionProtection: false,
      caBundle: apsaraDbCa,
    },
    "warbler:storage": { noncurrentVersionDays: 5, expireAfterDays: 365 },
    // 2 x 200,000 sessions: a 4x32 node (lib/im-sizing.ts) whose 250,000 connections hold them.
    "warbler:im": {
      ...(readStackFile("alicloud").config["warbler:im"] as Record<string, unknown>),
      sessions: 400_000,
      replicas: 2,
      sessionsPerInstance: 200_000,
    },
  },
  { cloudRules: kitDescriptors },
) as PlatformConfig;

let resources: PlannedResource[] = [];
let outputs: Record<string, unknown> = {};
before(async () => {
  ({ resources, outputs } = await recordProgram(
    () => {
      const kit = new AlicloudKit("variant", { config, stack: "staging" });
      return {
        caBundle: kit.outputs.database.caBundle,
        imClients: kit.outputs.cluster.loadBalancer.imClients?.loadBalancerClass,
      };
    },
    {
      project: "warbler",
      stack: "staging",
      region: "cn-hangzhou",
      accountId: "123456789012",
      subscriptionId: "unused",
    },
    providerMocks,
  ));
});

const ofType = (type: string) => resources.filter((r) => r.type === `alicloud:${type}`);
const fileBucket = () => ofType("oss/bucket:Bucket").find((b) => b.name === "variant-bucket-bucket")!;

test("two zones give two vSwitches per tier in the region's zones", () => {
  const vswitches = ofType("vpc/switch:Switch");
  assert.equal(vswitches.length, 6);
  assert.deepEqual([...new Set(vswitches.map((v) => v.inputs.zoneId))].sort(), ["cn-hangzhou-h", "cn-hangzhou-i"]);
  assert.equal(ofType("vpc/snatEntry:SnatEntry").length, 2);
  assert.equal(resources.find((r) => r.type === "pulumi:providers:alicloud")?.inputs.region, "cn-hangzhou");
});

test("hands the operator's ApsaraDB CA chain to the IM services as the database CA bundle", () => {
  assert.equal(outputs.caBundle, apsaraDbCa);
});

test("without high availability the database is a single-zone Basic edition of the configured size", () => {
  const [pg] = ofType("rds/instance:Instance");
  assert.equal(pg.inputs.category, "Basic");
  assert.equal(pg.inputs.instanceType, "pg.x4.2xlarge.1");
  assert.equal(pg.inputs.zoneIdSlaveA, undefined);
  assert.equal(pg.inputs.haConfig, undefined);
  assert.equal(String(pg.inputs.vswitchId).includes(","), false);
  assert.equal(pg.inputs.engineVersion, "17.0");
  assert.equal(pg.inputs.instanceStorage, 50);
  assert.equal(pg.inputs.deletionProtection, false);
  assert.equal(ofType("rds/backupPolicy:BackupPolicy")[0].inputs.backupRetentionPeriod, 7);
});

test("every node pool gets its own bounds and instance type", () => {
  const pools = ofType("cs/nodePool:NodePool");
  const byName = Object.fromEntries(pools.map((p) => [p.inputs.nodePoolName, p.inputs]));
  // Plus the fixed system pool, one node per zone of this two-zone stack, and the ejabberd pool.
  assert.deepEqual(Object.keys(byName).sort(), ["ejabberd", "im", "system", "turn"]);
  assert.deepEqual(byName.ejabberd.instanceTypes, ["ecs.r7.xlarge"]);
  assert.deepEqual(byName.ejabberd.scalingConfig, { enable: true, minSize: 2, maxSize: 3, type: "cpu" });
  assert.equal(byName.system.desiredSize, "2");
  assert.equal(byName.system.scalingConfig, undefined);
  assert.deepEqual(byName.im.instanceTypes, ["ecs.g7.4xlarge"]);
  assert.deepEqual(byName.turn.instanceTypes, ["ecs.g7.large"]);
  assert.equal((byName.im.scalingConfig as { maxSize: number }).maxSize, 10);
  assert.equal((byName.turn.scalingConfig as { minSize: number }).minSize, 1);
});

test("cluster version, log retention and bucket lifecycle follow the config", () => {
  const [ack] = ofType("cs/managedKubernetes:ManagedKubernetes");
  assert.equal(ack.inputs.version, "1.35.7-aliyun.1");
  assert.equal(ack.inputs.controlPlaneLogTtl, "200");
  assert.equal(ofType("log/store:Store")[0].inputs.retentionPeriod, 200);
  const rules = fileBucket().inputs.lifecycleRules as {
    id: string;
    expirations?: { days: number }[];
    noncurrentVersionExpirations?: { days: number }[];
  }[];
  assert.deepEqual(rules.find((r) => r.id === "expire-files")?.expirations, [{ days: 365 }]);
  assert.deepEqual(rules.find((r) => r.id === "noncurrent-versions")?.noncurrentVersionExpirations, [{ days: 5 }]);
});

test("names differ from another stack's, so two stacks can share an account", () => {
  assert.match(String(fileBucket().inputs.bucket), /^warbler-staging-files-[0-9a-f]{8}$/);
  assert.ok(ofType("ram/role:Role").every((r) => String(r.inputs.roleName).startsWith("warbler-staging-")));
});

test("the kit refuses a public API allow-list before creating anything", () => {
  const open = { ...config, cluster: { ...config.cluster, publicAccessCidrs: ["203.0.113.0/24"] } };
  assert.throws(
    () => new AlicloudKit("refused", { config: open, stack: "staging" }),
    (err: unknown) =>
      err instanceof ConfigError && err.issues.some((i) => i.key === "warbler:cluster.publicAccessCidrs"),
  );
});

test("even 400,000 sessions in all get the client Service its NLB, which it can grow on without a replacement", () => {
  assert.equal(outputs.imClients, "alibabacloud.com/nlb");
});
