import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { clouds as configClouds } from "../../config/clouds";
import { catalogue } from "../../policies/catalogue";
import { clouds, targets, type WarblerPolicy } from "../../policies/policy";
import {
  type PolicyFilter,
  PolicyFilterError,
  type RegisteredPolicy,
  registry,
  selectPolicies,
} from "../../policies/registry";

const policiesDir = join(__dirname, "..", "..", "policies");
/** Folders of policies/ that hold no policies of their own. */
const helperFolders = ["common", "report"];

const isDir = (path: string) => statSync(path).isDirectory();

/** Every `<target>/<service>/<verbNoun>` file on disk, without the extension. */
function policyFilesOnDisk(): string[] {
  return targets.flatMap((target) =>
    readdirSync(join(policiesDir, target))
      .filter((service) => isDir(join(policiesDir, target, service)))
      .flatMap((service) =>
        readdirSync(join(policiesDir, target, service))
          .filter((f) => f.endsWith(".ts"))
          .map((f) => `${target}/${service}/${f.replace(/\.ts$/, "")}`),
      ),
  );
}

function isPolicy(value: unknown): value is WarblerPolicy {
  const v = value as Partial<Record<"id" | "validateResource" | "validateStack", unknown>> | null;
  return (
    typeof v === "object" && v !== null && typeof v.id === "string" && ("validateResource" in v || "validateStack" in v)
  );
}

describe("the policy registry", () => {
  it("lists every policy file under policies/<target>/<service>/ exactly once", () => {
    const listed: string[] = registry.map((r) => r.file);
    assert.deepEqual(
      listed.filter((f, i) => listed.indexOf(f) !== i),
      [],
      "listed twice",
    );
    assert.deepEqual(
      policyFilesOnDisk().filter((f) => !listed.includes(f)),
      [],
      "missing from policies/registry.ts",
    );
    assert.deepEqual(
      listed.filter((f) => !policyFilesOnDisk().includes(f)),
      [],
      "listed but not on disk",
    );
  });

  it("names for each policy the file that exports it, and that file exports no other policy", () => {
    for (const r of registry) {
      const exported = Object.values(require(join(policiesDir, r.file)) as Record<string, unknown>).filter(isPolicy);
      assert.deepEqual(
        exported.map((p) => p.id),
        [r.policy.id],
        r.file,
      );
      assert.equal(exported[0], r.policy, `${r.file} exports another object with the id ${r.policy.id}`);
    }
  });

  it("takes target and service from the file's folders, and the target agrees with the policy's", () => {
    for (const r of registry) {
      assert.equal(r.file.split("/").slice(0, 2).join("/"), `${r.target}/${r.service}`, r.file);
      assert.equal(r.target, r.policy.target, r.file);
    }
  });

  it("has a folder for each target, and no other folder but the helpers'", () => {
    const folders = readdirSync(policiesDir).filter((f) => isDir(join(policiesDir, f)));
    assert.deepEqual(folders.sort(), [...targets, ...helperFolders].sort());
  });

  it("knows the clouds the stack config offers, no more and no fewer", () => {
    assert.deepEqual([...clouds], [...configClouds]);
  });
});

const frameworksOf = (p: WarblerPolicy) => p.controls.map((c) => catalogue.byId.get(c)?.framework.id);

/** Each filter with the rule it must select by, checked against the whole registry. */
const selections: { name: string; filter: PolicyFilter; expected: (r: RegisteredPolicy) => boolean }[] = [
  { name: "one target", filter: { targets: ["kubernetes"] }, expected: (r) => r.target === "kubernetes" },
  { name: "two targets", filter: { targets: ["aws", "stack"] }, expected: (r) => ["aws", "stack"].includes(r.target) },
  {
    name: "a bare service, on every target that has it",
    filter: { services: ["rds"] },
    expected: (r) => r.service === "rds",
  },
  {
    name: "a service qualified by its target",
    filter: { services: ["aws/rds"] },
    expected: (r) => r.target === "aws" && r.service === "rds",
  },
  { name: "a severity", filter: { severities: ["critical"] }, expected: (r) => r.policy.severity === "critical" },
  {
    name: "a framework, through the controls a policy cites",
    filter: { frameworks: ["cis-kubernetes"] },
    expected: (r) => frameworksOf(r.policy).includes("cis-kubernetes"),
  },
  {
    name: "all criteria at once, each with any of its values",
    filter: { targets: ["aws", "azure"], severities: ["critical", "high"], frameworks: ["pcidss"] },
    expected: (r) =>
      ["aws", "azure"].includes(r.target) &&
      ["critical", "high"].includes(r.policy.severity) &&
      frameworksOf(r.policy).includes("pcidss"),
  },
];

describe("selectPolicies", () => {
  it("selects every policy, in registry order, when given no filter", () => {
    assert.deepEqual(
      selectPolicies(),
      registry.map((r) => r.policy),
    );
  });

  for (const { name, filter, expected } of selections) {
    it(`selects by ${name}, keeping registry order`, () => {
      const selected = selectPolicies(filter);
      assert.ok(
        selected.length > 0 && selected.length < registry.length,
        `${selected.length} of ${registry.length} selected`,
      );
      assert.deepEqual(
        selected,
        registry.filter(expected).map((r) => r.policy),
      );
    });
  }

  it("selects from the registry it is given", () => {
    const two = registry.filter((r) => r.target === "stack" || r.policy.id === "aws-kms-key-rotation");
    assert.deepEqual(
      selectPolicies({ targets: ["aws"] }, two).map((p) => p.id),
      ["aws-kms-key-rotation"],
    );
  });

  it("rejects unknown values and empty lists, naming each in one error", () => {
    const filter = { targets: ["gcp"], services: ["rds", "aws/oss"], severities: [] } as unknown as PolicyFilter;
    assert.throws(
      () => selectPolicies(filter),
      (err: Error) =>
        err instanceof PolicyFilterError &&
        /'targets\[0\]' \("gcp"\) is not one of: aws, azure, alicloud, kubernetes, stack/.test(err.message) &&
        /'services\[1\]' \("aws\/oss"\) is not one of: /.test(err.message) &&
        /'severities' is empty/.test(err.message) &&
        !/services\[0\]/.test(err.message),
    );
  });
});
