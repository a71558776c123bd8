import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import type { MockContext } from "../../components/mock-types";
import { type PlanDocument, planStack } from "../../plan";
import { stableJson } from "../../plan/document";
import { randomMocks } from "../../plan/mocks/random";
import { parityExceptions } from "../../plan/parity/exceptions";
import { failures, parityMatrix } from "../../plan/parity/matrix";
import { parityRows } from "../../plan/parity/rows";
import { REPO } from "../support/cli";
import { PLATFORM_STACKS, planExamples } from "../support/example-plans";

let plans: Awaited<ReturnType<typeof planExamples>>;
before(async () => {
  plans = await planExamples();
});

const clone = (p: PlanDocument): PlanDocument => structuredClone(p);

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
/** The value the offline plan's mock gave a RandomPassword: deterministic per name and inputs. */
async function generatedPassword(name: string, inputs: Record<string, unknown>): Promise<string> {
  const { state } = randomMocks.resources[RANDOM_PASSWORD](
    { type: RANDOM_PASSWORD, name, inputs, custom: true } as pulumi.runtime.MockResourceArgs,
    {} as MockContext,
  );
  assert.ok(state, `the ${RANDOM_PASSWORD} mock gave ${name} a state`);
  const result = state.result as pulumi.Output<string>;
  return new Promise<string>((resolve) => result.apply(resolve));
}
const find = (p: PlanDocument, type: string) => {
  const r = p.resources.find((x) => x.type === type);
  assert.ok(r, `${p.stack} plans a ${type}`);
  return r;
};

describe("offline plans of the example stacks", () => {
  for (const stack of PLATFORM_STACKS) {
    it(`${stack}: records a tree of resources whose parents all exist, sorted by URN`, () => {
      const plan = plans[stack];
      assert.equal(plan.stack, stack);
      assert.equal(plan.cloud, stack);
      const urns = plan.resources.map((r) => r.urn);
      assert.equal(new Set(urns).size, urns.length, "URNs are unique");
      assert.deepEqual(urns, [...urns].sort(), "sorted by URN");
      for (const r of plan.resources)
        if (r.parent) assert.ok(urns.includes(r.parent), `${r.urn} has a recorded parent`);
      assert.ok(plan.resources.some((r) => r.type === "warbler:index:Platform"));
      assert.ok(plan.resources.some((r) => r.type === `warbler:${stack}:Kit`));
    });

    it(`${stack}: registers every cloud resource, the failover link's included, with the explicit provider`, () => {
      const plan = plans[stack];
      const pkg = { aws: "aws", azure: "azure-native", alicloud: "alicloud" }[stack];
      const provider = plan.resources.filter((r) => r.type === `pulumi:providers:${pkg}`);
      assert.equal(provider.length, 1, `one ${pkg} provider`);
      const cloudResources = plan.resources.filter((r) => r.id && r.type.startsWith(`${pkg}:`));
      assert.ok(cloudResources.length > 40);
      // aws is the primary and azure the standby of the example pair; alicloud has no failover role.
      assert.equal(
        cloudResources.some((r) => r.urn.includes("warbler:failover:")),
        stack !== "alicloud",
        "the failover link is planned",
      );
      for (const r of cloudResources) assert.equal(r.provider, provider[0].urn, `${r.urn} uses the default provider`);
      const kubernetesResources = plan.resources.filter((x) => x.id && x.type.startsWith("kubernetes:"));
      assert.ok(kubernetesResources.length > 0, "Kubernetes resources are planned");
      for (const r of kubernetesResources) {
        // The AWS kit hands the Kubernetes layer a second provider of the same cluster, one that waits for the
        // load balancer controller (components/aws/kit.ts).
        assert.match(
          r.provider,
          new RegExp(`::warbler-${stack}-(cluster-)?k8s$`),
          `${r.urn} uses the cluster's provider`,
        );
      }
    });

    it(`${stack}: keeps every secret a secret in the plan document`, () => {
      const plan = plans[stack];
      assert.equal(plan.outputs.kubeconfig, "[secret]");
      const secrets = plan.resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
      assert.ok(secrets.length > 0);
      for (const s of secrets)
        assert.equal(s.inputs.stringData ?? s.inputs.data, "[secret]", `${s.name} data is redacted`);
      const password = {
        aws: ["aws:rds/instance:Instance", "password"],
        azure: ["azure-native:dbforpostgresql:Server", "administratorLoginPassword"],
        alicloud: ["alicloud:rds/rdsAccount:RdsAccount", "accountPassword"],
      }[stack];
      assert.equal(find(plan, password[0]).inputs[password[1]], "[secret]", "database password is redacted");
    });

    it(`${stack}: holds none of the values the generated passwords take, anywhere in the document`, async () => {
      const plan = plans[stack];
      const text = JSON.stringify(plan);
      const generated = plan.resources.filter((r) => r.type === RANDOM_PASSWORD);
      assert.ok(generated.length >= 5);
      for (const r of generated) {
        const value = await generatedPassword(r.name, r.inputs);
        assert.ok(value.length >= 20);
        assert.ok(!text.includes(value), `the value of ${r.name} appears in the plan`);
      }
    });
  }

  it(
    "carries the program's warnings: alicloud, which cannot verify its database until the operator sets the " +
      "ApsaraDB CA chain, and azure, whose static server parameters wait for a restart",
    () => {
      assert.deepEqual(plans.aws.warnings, []);
      // Azure: the failover standby's static parameters wait for the restart step (docs/azure.md).
      assert.equal(plans.azure.warnings.length, 1);
      assert.match(plans.azure.warnings[0], /wal_level, shared_preload_libraries take effect only after a restart/);
      assert.equal(plans.alicloud.warnings.length, 1);
      assert.match(
        plans.alicloud.warnings[0],
        new RegExp(
          /^warbler:database\.caBundle is not set: .*ApsaraDB-CA-Chain\.zip.*/.source +
            /pulumi config set --path warbler:database\.caBundle -- /.source,
        ),
      );
    },
  );

  it("writes the same JSON for the same stack twice: the document is stable", async () => {
    assert.equal(stableJson(await planStack("alicloud")), stableJson(plans.alicloud));
  });
});

describe("parity of the three clouds, computed from the planned inputs", () => {
  it("shows no unexplained difference and no cell below the secure default", () => {
    const matrix = parityMatrix(Object.values(plans));
    assert.deepEqual(failures(matrix), []);
    assert.equal(matrix.rows.length, parityRows.length);
    for (const row of matrix.rows)
      for (const [stack, cell] of Object.entries(row.cells))
        assert.ok(cell.evidence.length > 0, `${row.id}/${stack} cites evidence`);
  });

  const weakened: [string, string, (p: PlanDocument) => void][] = [
    ["secrets-encryption-cmk", "aws", (p) => delete find(p, "aws:eks/cluster:Cluster").inputs.encryptionConfig],
    [
      "node-disk-encryption-cmk",
      "azure",
      (p) =>
        (find(p, "azure-native:compute:DiskEncryptionSet").inputs.activeKey = {
          keyUrl: "https://other.vault.azure.net/keys/k/1",
        }),
    ],
    [
      "database-encryption-cmk",
      "alicloud",
      (p) => delete find(p, "alicloud:rds/instance:Instance").inputs.encryptionKey,
    ],
    [
      "database-tls-required",
      "azure",
      (p) => (p.resources = p.resources.filter((r) => r.inputs.configurationName !== "require_secure_transport")),
    ],
    ["database-not-public", "aws", (p) => (find(p, "aws:rds/instance:Instance").inputs.publiclyAccessible = true)],
    [
      "bucket-sse-cmk",
      "alicloud",
      (p) =>
        ((
          find(p, "alicloud:oss/bucket:Bucket").inputs.serverSideEncryptionRule as Record<string, unknown>
        ).sseAlgorithm = "AES256"),
    ],
    [
      "bucket-public-access-blocked",
      "aws",
      (p) => (find(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs.restrictPublicBuckets = false),
    ],
    ["key-rotation", "alicloud", (p) => (find(p, "alicloud:kms/key:Key").inputs.automaticRotation = "Disabled")],
    ["audit-logs", "aws", (p) => (find(p, "aws:eks/cluster:Cluster").inputs.enabledClusterLogTypes = ["api"])],
    [
      "private-api-endpoint",
      "azure",
      (p) =>
        Object.assign(
          find(p, "azure-native:containerservice:ManagedCluster").inputs.apiServerAccessProfile as Record<
            string,
            unknown
          >,
          { enablePrivateCluster: false, authorizedIPRanges: ["0.0.0.0/0"] },
        ),
    ],
    [
      "backup-retention",
      "azure",
      (p) =>
        ((find(p, "azure-native:dbforpostgresql:Server").inputs.backup as Record<string, unknown>).backupRetentionDays =
          21),
    ],
    [
      "autoscaling-bounds",
      "alicloud",
      (p) => {
        const pool = p.resources.find(
          (r) => r.type === "alicloud:cs/nodePool:NodePool" && r.inputs.nodePoolName === "im",
        );
        (pool!.inputs.scalingConfig as Record<string, unknown>).maxSize = 9;
      },
    ],
    ["database-ha", "aws", (p) => (find(p, "aws:rds/instance:Instance").inputs.multiAz = false)],
  ];
  for (const [row, stack, weaken] of weakened) {
    it(`fails row '${row}' when the ${stack} plan is weakened`, () => {
      const copies = Object.values(plans).map((p) => (p.stack === stack ? clone(p) : p));
      weaken(copies.find((p) => p.stack === stack) as PlanDocument);
      const failed = failures(parityMatrix(copies));
      assert.ok(
        failed.some((f) => f.startsWith(`${row}:`)),
        `expected a '${row}' failure, got ${JSON.stringify(failed)}`,
      );
    });
  }

  it("accepts the named exception for ACK's endpoint only with an allow-listed public endpoint elsewhere", () => {
    const aws = clone(plans.aws);
    const vpc = find(aws, "aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>;
    Object.assign(vpc, { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    const row = parityMatrix([aws, plans.azure, plans.alicloud]).rows.find((r) => r.id === "private-api-endpoint");
    assert.equal(row?.verdict, "explained");
    assert.equal(row?.exception, "ack-no-api-allow-list");
    vpc.publicAccessCidrs = ["0.0.0.0/0"];
    assert.ok(
      failures(parityMatrix([aws, plans.azure, plans.alicloud])).some((f) => f.startsWith("private-api-endpoint:")),
    );
  });

  it("documents every row and every exception in docs/parity.md", () => {
    const doc = readFileSync(join(REPO, "docs", "parity.md"), "utf8");
    const matrix = parityMatrix(Object.values(plans));
    for (const row of matrix.rows) {
      const line = doc.split("\n").find((l) => l.startsWith(`| ${row.title} |`));
      assert.ok(line, `docs/parity.md has a row for '${row.title}'`);
      const expected = `| ${row.title} | ${PLATFORM_STACKS.map((s) => row.cells[s].value).join(" | ")} |`;
      assert.ok(line.startsWith(expected), `docs/parity.md shows the computed values: ${expected}`);
    }
    for (const e of parityExceptions) assert.ok(doc.includes(e.name), `docs/parity.md explains '${e.name}'`);
  });
});
