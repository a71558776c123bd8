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

  // An AWS stack exports NLB host names and an Azure stack IPs. Route 53 answers for an NLB with an alias A record,
  // which pairs with the other side's A record and may sit at the zone apex, where a CNAME may not
  // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html);
  // an alias names the NLB's canonical hosted zone for its region
  // (https://docs.aws.amazon.com/general/latest/gr/elb.html).
  it("route53: the AWS side's NLB host names become alias A records, the Azure side's IPs plain A records", () => {
    const records = (plans.route53 as PlanDocument).resources.filter((r) => r.type === "aws:route53/record:Record");
    assert.equal(records.length, 6);
    for (const r of records) {
      assert.equal(r.inputs.type, "A", r.name);
      const aliases = r.inputs.aliases as { name: string; zoneId: string; evaluateTargetHealth: boolean }[] | undefined;
      if (r.name.endsWith("-primary")) {
        assert.equal(aliases?.length, 1, r.name);
        assert.match(String(aliases?.[0].name), /\.elb\.eu-central-1\.amazonaws\.com$/);
        assert.equal(aliases?.[0].zoneId, "Z3F0SRJ5LGBH90");
        assert.equal(r.inputs.ttl, undefined, "an alias takes no TTL");
        assert.equal(r.inputs.records, undefined);
      } else {
        assert.equal(aliases, undefined, r.name);
        assert.match(String((r.inputs.records as string[])[0]), /^\d+\.\d+\.\d+\.\d+$/);
      }
    }
    const apex = records.filter((r) => r.inputs.name === "chat.example.com");
    assert.equal(apex.length, 2, "the zone apex holds the WebSocket pair");
  });

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
