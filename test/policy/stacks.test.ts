import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { STACKS_DIR } from "../../config/stack-file";
import { exampleStacks, type PlanDocument, planStack } from "../../plan";
import { defaultPackConfigFile, readPackConfig } from "../../plan/pack-config";
import { reviewedTypes } from "../../policies/coverage";
import { evaluatePack, type ResourceRecord, type Violation } from "../../policies/harness";
import { toResourceRecords } from "../../policies/input";
import { selectPolicies } from "../../policies/registry";

const allPolicies = selectPolicies();
/** The pack config the example stacks are checked with (stacks/policy-config.json), as `warbler plan` uses it. */
const examplePackConfig = readPackConfig(defaultPackConfigFile(join(STACKS_DIR, "Pulumi.aws.yaml")));

/** The whole pack over the offline plan of every example stack. */
const plans = new Map<string, PlanDocument>();
const stacks = exampleStacks();

function records(doc: PlanDocument): ResourceRecord[] {
  const parsed = toResourceRecords(structuredClone(doc));
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  return parsed.resources;
}

function find(rs: ResourceRecord[], type: string, where: (r: ResourceRecord) => boolean = () => true): ResourceRecord {
  const r = rs.find((x) => x.type === type && where(x));
  assert.ok(r, `the plan has no ${type}`);
  return r;
}

const key = (v: Violation) => `${v.policy} ${v.resource} ${v.message}`;

/** Violations present after `weaken` that were not there before. */
async function newViolations(stack: string, weaken: (rs: ResourceRecord[]) => void): Promise<Violation[]> {
  const before = new Set((await evaluatePack(records(plans.get(stack)!), examplePackConfig)).map(key));
  const weakened = records(plans.get(stack)!);
  weaken(weakened);
  return (await evaluatePack(weakened, examplePackConfig)).filter((v) => !before.has(key(v)));
}

describe("the pack over every example stack's offline plan", () => {
  before(async () => {
    // Platform stacks first, two at a time (the global stack reads their outputs).
    for (const wave of [stacks.filter((s) => s !== "global"), stacks.filter((s) => s === "global")]) {
      for (let i = 0; i < wave.length; i += 2) {
        const docs = await Promise.all(wave.slice(i, i + 2).map((s) => planStack(s)));
        for (const d of docs) plans.set(d.stack, d);
      }
    }
  });

  it("plans the three platform stacks", () => {
    for (const s of ["aws", "azure", "alicloud"]) assert.ok(plans.has(s), `no plan for ${s}`);
  });

  for (const stack of stacks) {
    it(`finds no mandatory violation in the defaults of stack '${stack}'`, async () => {
      const violations = await evaluatePack(records(plans.get(stack)!), examplePackConfig);
      const mandatory = violations.filter((v) => v.enforcement === "mandatory");
      assert.deepEqual(mandatory.map(key), []);
    });
  }

  it("evaluates every resource type the kits and charts create, or lists it as reviewed with a reason", () => {
    const covered = new Set(allPolicies.flatMap((p) => p.resourceTypes));
    const types = new Set([...plans.values()].flatMap((d) => d.resources.map((r) => r.type)));
    const unreviewed = [...types].filter((t) => !t.startsWith("warbler:") && !covered.has(t) && !(t in reviewedTypes));
    assert.deepEqual(unreviewed.sort(), []);
    assert.deepEqual(
      Object.keys(reviewedTypes).filter((t) => covered.has(t)),
      [],
      "a reviewed type is also evaluated by a policy; remove it from policies/coverage.ts",
    );
  });

  it("holds each cloud's database, bucket, key and cluster to a policy", () => {
    const evaluated = (type: string) => allPolicies.filter((p) => p.resourceTypes.includes(type)).length;
    for (const [stack, doc] of plans) {
      for (const r of doc.resources) {
        if (
          /rds\/instance|dbforpostgresql:Server|s3\/bucket:Bucket|storage:StorageAccount|oss\/bucket:Bucket/.test(
            r.type,
          ) ||
          /kms\/key:Key|keyvault:Key|eks\/cluster|ManagedCluster|managedKubernetes/.test(r.type)
        ) {
          assert.ok(evaluated(r.type) >= 3, `${stack}: ${r.type} is checked by only ${evaluated(r.type)} policies`);
        }
      }
    }
  });

  it("flags turning off KMS encryption of the AWS bucket, and only that", async () => {
    const found = await newViolations("aws", (rs) => {
      const sse = find(rs, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
      (sse.props.rules as any[])[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" };
    });
    assert.deepEqual(
      found.map((v) => [v.policy, v.enforcement]),
      [["aws-s3-bucket-encryption", "mandatory"]],
    );
  });

  it("flags an Azure storage account accepting TLS 1.0", async () => {
    const found = await newViolations("azure", (rs) => {
      find(rs, "azure-native:storage:StorageAccount").props.minimumTlsVersion = "TLS1_0";
    });
    assert.deepEqual(
      found.map((v) => [v.policy, v.enforcement]),
      [["azure-storage-tls", "mandatory"]],
    );
  });

  it("flags an Alibaba database whitelist opened to the internet", async () => {
    const found = await newViolations("alicloud", (rs) => {
      find(rs, "alicloud:rds/instance:Instance").props.securityIps = ["0.0.0.0/0"];
    });
    assert.deepEqual(
      found.map((v) => [v.policy, v.enforcement]),
      [["alicloud-rds-no-public-access", "mandatory"]],
    );
  });

  it("flags a privileged ejabberd container in the IM chart", async () => {
    const found = await newViolations("aws", (rs) => {
      const sts = find(rs, "kubernetes:apps/v1:StatefulSet");
      const c = (sts.props as any).spec.template.spec.containers[0];
      c.securityContext = { ...c.securityContext, privileged: true };
    });
    assert.deepEqual(
      found.map((v) => [v.policy, v.enforcement]),
      [["kubernetes-no-privileged-containers", "mandatory"]],
    );
  });
});
