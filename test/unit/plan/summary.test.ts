import assert from "node:assert/strict";
import { test } from "node:test";
import { renderSummary } from "../../../cli/commands/plan";
import type { PlanDocument } from "../../../plan";

const resource = (urn: string, type: string, parent = "") => ({
  urn,
  type,
  name: urn.split("::").pop()!,
  parent,
  inputs: {},
  id: "",
  outputs: {},
  dependencies: [],
  propertyDependencies: {},
  provider: "",
  protect: false,
});

test("the human summary counts resources, lists violations, then the program's warnings", () => {
  const platform = "urn:pulumi:demo::warbler::warbler:index:Platform::p";
  const doc: PlanDocument = {
    stack: "demo",
    cloud: "alicloud",
    resources: [
      resource(platform, "warbler:index:Platform"),
      resource(
        "urn:pulumi:demo::warbler::alicloud:rds/instance:Instance::db",
        "alicloud:rds/instance:Instance",
        platform,
      ),
    ],
    outputs: {},
    violations: [
      {
        policy: "alicloud-rds-ssl",
        enforcement: "advisory",
        resource: "db",
        message: "ssl is off",
      } as PlanDocument["violations"][number],
    ],
    warnings: ["warbler:database.caBundle is not set"],
  };
  const lines = renderSummary(doc).trim().split("\n");
  assert.deepEqual(lines.slice(-4), [
    "  policies: 0 mandatory and 1 advisory violations",
    "    [advisory] alicloud-rds-ssl on db: ssl is off",
    "  warnings: 1",
    "    warbler:database.caBundle is not set",
  ]);
  assert.ok(lines.includes("       1  warbler:index:Platform p"));
  assert.equal(
    renderSummary({ ...doc, warnings: [] }).includes("warnings"),
    false,
    "no warnings section when there are none",
  );
});
