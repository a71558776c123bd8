import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { type PlanDocument, planStack } from "../../plan";
import { REPO } from "../support/cli";

const dir = mkdtempSync(join(tmpdir(), "warbler-global-dns-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The example global stack with another DNS provider. */
function variant(provider: string, extra: Record<string, unknown> = {}): string {
  const doc = parse(readFileSync(join(REPO, "stacks", "Pulumi.global.yaml"), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  doc.config["warbler:dns"] = { ...doc.config["warbler:dns"], provider, ...extra };
  const file = join(dir, `Pulumi.global-${provider}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

const expected = {
  route53: {
    types: ["aws:route53/healthCheck:HealthCheck", "aws:route53/record:Record"],
    provider: "pulumi:providers:aws",
    region: ["region", "us-east-1"],
  },
  "traffic-manager": {
    types: ["azure-native:trafficmanager:Profile", "azure-native:resources:ResourceGroup"],
    provider: "pulumi:providers:azure-native",
    region: ["location", "westeurope"],
  },
  "alidns-gtm": {
    types: [
      "alicloud:dns/gtmInstance:GtmInstance",
      "alicloud:dns/addressPool:AddressPool",
      "alicloud:dns/accessStrategy:AccessStrategy",
    ],
    provider: "pulumi:providers:alicloud",
    region: ["region", "cn-hangzhou"],
  },
} as const;

const plans: Partial<Record<keyof typeof expected, PlanDocument>> = {};
before(async () => {
  const [route53, tm] = await Promise.all([planStack("global"), planStack(variant("traffic-manager"))]);
  Object.assign(plans, { route53, "traffic-manager": tm, "alidns-gtm": await planStack(variant("alidns-gtm")) });
});

describe("the global stack's DNS providers", () => {
  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: every DNS resource goes through one explicit provider in the provider's default region`, () => {
      const plan = plans[name as keyof typeof expected] as PlanDocument;
      const providers = plan.resources.filter((r) => r.type === want.provider);
      assert.equal(providers.length, 1, `one ${want.provider}`);
      assert.equal(providers[0].inputs[want.region[0]], want.region[1]);
      for (const type of want.types) {
        const resources = plan.resources.filter((r) => r.type === type);
        assert.ok(resources.length > 0, `plans ${type}`);
        for (const r of resources) assert.equal(r.provider, providers[0].urn, `${r.name} uses the explicit provider`);
      }
    });
  }

  it("sends GTM alerts only to contact groups the config names", async () => {
    const instances = (p: PlanDocument) => p.resources.filter((r) => r.type === "alicloud:dns/gtmInstance:GtmInstance");
    for (const r of instances(plans["alidns-gtm"] as PlanDocument)) assert.equal(r.inputs.alertGroups, undefined);
    const withGroups = await planStack(variant("alidns-gtm", { gtmAlertGroups: ["im-oncall"] }));
    for (const r of instances(withGroups)) assert.deepEqual(r.inputs.alertGroups, ["im-oncall"]);
  });

  it("rejects a DNS region of another cloud than the provider's, naming the key", async () => {
    await assert.rejects(
      planStack(variant("traffic-manager", { region: "us-east-1" })),
      /'warbler:dns\.region' \("us-east-1"\) is not a region of azure/,
    );
  });
});
