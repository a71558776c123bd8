import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { selectPolicies } from "../../policies/registry";
import { type RunningPack, startPack } from "./analyzerClient";

const allPolicies = selectPolicies();

/**
 * The pack under the real @pulumi/policy runtime: `run-policy-pack` (what
 * `pulumi preview --policy-pack policies` runs) compiles policies/index.ts
 * with ts-node, constructs the PolicyPack and serves the analyzer gRPC API;
 * the test then plays the engine's part.
 */
describe("the pack under the real @pulumi/policy runtime", () => {
  let pack: RunningPack;
  before(async () => {
    pack = await startPack(join(__dirname, "..", "..", "policies"), 240_000);
  });
  after(() => pack?.stop());

  it("serves every policy with its id, default enforcement and config schema", async () => {
    const info = await pack.info();
    assert.equal(info.name, "warbler");
    assert.equal(info.version, "0.1.0");
    assert.deepEqual(info.policies.map((p) => p.name).sort(), allPolicies.map((p) => p.id).sort());
    for (const p of allPolicies) {
      const served = info.policies.find((x) => x.name === p.id)!;
      assert.equal(served.enforcement, p.enforcementLevel, p.id);
      assert.equal(served.hasConfigSchema, p.configSchema !== undefined, p.id);
    }
  });

  it("reports a public bucket as a mandatory violation of aws-s3-no-public-access", async () => {
    const found = await pack.analyze({
      type: "aws:s3/bucket:Bucket",
      name: "files",
      props: { acl: "public-read", tags: { owner: "o", "data-classification": "internal" } },
    });
    assert.deepEqual(
      found.map((d) => [d.policy, d.enforcement]),
      [["aws-s3-no-public-access", "mandatory"]],
    );
  });

  it("reports nothing for a compliant KMS key", async () => {
    const found = await pack.analyze({
      type: "aws:kms/key:Key",
      name: "key",
      props: { enableKeyRotation: true, tags: { owner: "o", "data-classification": "internal" } },
    });
    assert.deepEqual(found, []);
  });

  it("runs stack policies over the whole stack", async () => {
    const found = await pack.analyzeStack([
      { type: "aws:s3/bucket:Bucket", name: "files", props: { bucket: "warbler-files" } },
    ]);
    const controls = found.filter((d) => d.policy === "aws-s3-bucket-controls-attached");
    assert.equal(controls.length, 3, JSON.stringify(found));
    assert.ok(controls.every((d) => d.enforcement === "mandatory" && d.urn.endsWith("::files")));
  });

  it("applies pack config: an allowed region, a disabled policy", async () => {
    const stack = [
      { type: "pulumi:providers:aws", name: "us", props: { region: "us-east-1" } },
      { type: "aws:kms/key:Key", name: "key", props: { enableKeyRotation: true } },
    ];
    const regions = async () =>
      (await pack.analyzeStack(stack)).filter((d) => d.policy === "aws-allowed-regions").map((d) => d.message);
    // The runtime prefixes each message with the policy's description.
    const before = await regions();
    assert.equal(before.length, 1);
    assert.match(before[0], /provider 'us' is in region 'us-east-1'; allowed: eu-\*$/);
    await pack.configure({
      "aws-allowed-regions": { enforcementLevel: "mandatory", properties: { allowedRegions: ["us-*"] } },
      "aws-s3-no-public-access": { enforcementLevel: "disabled" },
    });
    assert.deepEqual(await regions(), []);
    const bucket = await pack.analyze({
      type: "aws:s3/bucket:Bucket",
      name: "files",
      props: { acl: "public-read", tags: { owner: "o", "data-classification": "internal" } },
    });
    assert.deepEqual(bucket, []);
  });
});
