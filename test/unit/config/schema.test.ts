import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kitDescriptors } from "../../../components/kits";
import { ConfigError, loadConfig } from "../../../config/load";
import { exampleRawConfig, withValue } from "../../support/stack-config";
import { badCases } from "./bad-input";

function issuesOf(raw: Record<string, unknown>, secretKeys?: Set<string>) {
  try {
    loadConfig(raw, { cloudRules: kitDescriptors, secretKeys });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail("config was accepted");
}

describe("stack config schema", () => {
  for (const stack of ["aws", "azure", "alicloud"]) {
    it(`accepts the ${stack} example stack and applies secure defaults`, () => {
      const config = loadConfig(exampleRawConfig(stack), { cloudRules: kitDescriptors });
      assert.equal(config.kind, "platform");
      if (config.kind !== "platform") return;
      assert.equal(config.cloud, stack);
      assert.equal(config.database.deletionProtection, true);
      assert.equal(config.database.highAvailability, true);
      const { publicAccessCidrs, privateAccessCidrs } = config.cluster;
      assert.ok(
        [...publicAccessCidrs, ...privateAccessCidrs].every((c) => !c.endsWith("/0")),
        "the API server admits a named range only",
      );
      assert.ok(publicAccessCidrs.length + privateAccessCidrs.length > 0, "the deployer has a path to the API");
      assert.equal(config.acme.server, "production");
    });
  }

  it("refuses a stack whose Kubernetes layer nothing could reach, naming the key", () => {
    const raw = exampleRawConfig("aws");
    const cluster = { ...(raw["warbler:cluster"] as object), publicAccessCidrs: [], privateAccessCidrs: [] };
    const issue = issuesOf({ ...raw, "warbler:cluster": cluster }).issues.find(
      (i) => i.key === "warbler:cluster.publicAccessCidrs",
    );
    assert.match(issue?.message ?? "", /nothing could reach the Kubernetes API/);
    const runner = { ...cluster, privateAccessCidrs: ["10.20.250.0/24"] };
    loadConfig({ ...raw, "warbler:cluster": runner }, { cloudRules: kitDescriptors });
  });

  it("reads structured values the Pulumi engine passes as JSON text", () => {
    const raw = Object.fromEntries(
      Object.entries(exampleRawConfig()).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    const config = loadConfig(raw, { cloudRules: kitDescriptors });
    assert.equal(config.kind === "platform" && config.database.backupRetentionDays, 14);
  });

  it("ignores keys of other namespaces such as aws:region", () => {
    const raw = { ...exampleRawConfig(), "aws:region": "us-east-1" };
    assert.doesNotThrow(() => loadConfig(raw, { cloudRules: kitDescriptors }));
  });

  for (const bad of badCases) {
    it(`rejects ${bad.name}, naming '${bad.key}' and what is allowed`, () => {
      const err = issuesOf(bad.raw);
      const issue = err.issues.find((i) => i.key === bad.key);
      assert.ok(issue, `no issue for ${bad.key}; got ${err.issues.map((i) => i.key).join(", ")}`);
      assert.match(issue.message, bad.says);
      assert.match(err.message, new RegExp(`'${bad.key.replace(/[.[\]]/g, "\\$&")}'`));
      assert.equal(err.exitCode, 2);
    });
  }

  it("reports every problem at once, including cross-field ones next to type errors", () => {
    let raw = withValue(exampleRawConfig(), "warbler:region", [], "cn-hangzhou");
    raw = withValue(raw, "warbler:cluster", ["nodePools", 0, "min"], 7);
    raw = withValue(raw, "warbler:database", ["backupRetentionDays"], 99);
    raw = withValue(raw, "warbler:acme", ["email"], "nope");
    const keys = issuesOf(raw)
      .issues.map((i) => i.key)
      .sort();
    assert.deepEqual(keys, [
      "warbler:acme.email",
      "warbler:cluster.nodePools[0].min",
      "warbler:database.backupRetentionDays",
      "warbler:region",
    ]);
  });

  it("never echoes a secret value in an error", () => {
    const raw = { ...exampleRawConfig(), "warbler:alertWebhook": "http://hooks.example.com/T0KEN-VALUE" };
    const err = issuesOf(raw);
    assert.match(err.message, /'warbler:alertWebhook' \("\[secret\]"\) must be an https:\/\/ URL/);
    assert.doesNotMatch(err.message, /T0KEN-VALUE/);
  });
});

describe("a kit's config rule on a list item", () => {
  it("names the item's index and shows the value it refused", () => {
    const pools = [
      { name: "im", size: "large", min: 3, max: 6 },
      { name: "ejabberd", size: "large", min: 1, max: 2 },
    ];
    const raw = withValue(exampleRawConfig(), "warbler:cluster", ["nodePools"], pools);
    assert.throws(
      () => loadConfig(raw, { cloudRules: kitDescriptors }),
      (err: Error) =>
        err instanceof ConfigError && /'warbler:cluster\.nodePools\[1\]\.name' \("ejabberd"\)/.test(err.message),
    );
  });
});
