import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { AlicloudKit } from "../../../components/alicloud/kit";
import { AwsKit } from "../../../components/aws/kit";
import { AzureKit } from "../../../components/azure/kit";
import type { Kit } from "../../../components/contract";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

/*
 * Each kit with `acme.dns01` set, planned under the plan mocks: the identity cert-manager gets for the zone, and
 * nothing wider. Sources for the grants are cited in acme-dns01.test.ts (cert-manager's Route 53 and AzureDNS pages,
 * Azure's built-in roles, Alibaba Cloud DNS RAM authorization, github.com/wjiec/alidns-webhook).
 */

const ZONE_SUBSCRIPTION = "00000000-0000-4000-8000-00000000dada";
const dns01 = {
  aws: { provider: "route53", zone: "example.com", hostedZoneId: "Z0123456789ABC" },
  azure: { provider: "azure-dns", zone: "example.com", subscriptionId: ZONE_SUBSCRIPTION, resourceGroup: "dns" },
  alicloud: { provider: "alidns", zone: "example.com" },
} as const;

async function plan(cloud: keyof typeof dns01, Kit: new (...args: never[]) => Kit) {
  const raw = readStackFile(cloud).config;
  const acme = { ...(raw["warbler:acme"] as object), dns01: dns01[cloud] };
  const config = loadConfig({ ...raw, "warbler:acme": acme }, { cloudRules: kitDescriptors }) as PlatformConfig;
  let kit: Kit | undefined;
  const { resources } = await recordProgram(
    () => {
      kit = new (Kit as unknown as new (n: string, a: unknown) => Kit)(`warbler-${cloud}`, { config, stack: cloud });
    },
    {
      project: "warbler",
      stack: cloud,
      region: config.region,
      accountId: "123456789012",
      subscriptionId: "00000000-0000-4000-8000-000000000002",
    },
    providerMocks,
  );
  assert.ok(kit?.outputs.cluster.acmeDns01, `${cloud} kit hands cert-manager its DNS-01 access`);
  return { resources, access: kit.outputs.cluster.acmeDns01 };
}

const named = (resources: PlannedResource[], suffix: string) => {
  const found = resources.filter((r) => r.name.endsWith(suffix));
  assert.equal(found.length, 1, `one resource named *${suffix}; got ${found.map((r) => r.name).join(", ")}`);
  return found[0].inputs as Record<string, any>;
};

describe("aws kit with Route 53 DNS-01", () => {
  let resources: PlannedResource[] = [];
  before(async () => {
    ({ resources } = await plan("aws", AwsKit as never));
  });

  it("an IRSA role only cert-manager's ServiceAccount can assume", () => {
    const trust = JSON.parse(named(resources, "-acme-identity-role").assumeRolePolicy);
    const [statement] = trust.Statement;
    assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
    const subjects = Object.entries(statement.Condition.StringEquals).filter(([k]) => k.endsWith(":sub"));
    assert.deepEqual(
      subjects.map(([, v]) => v),
      ["system:serviceaccount:cert-manager:cert-manager"],
    );
  });

  it("with changes to the one hosted zone only", () => {
    const policy = JSON.parse(named(resources, "-acme-identity-policy").policy);
    const zoneStatements = policy.Statement.filter((s: { Resource: string }) => s.Resource.includes("hostedzone"));
    assert.ok(zoneStatements.length > 0);
    for (const s of zoneStatements) assert.equal(s.Resource, "arn:aws:route53:::hostedzone/Z0123456789ABC");
  });
});

describe("azure kit with Azure DNS DNS-01", () => {
  let resources: PlannedResource[] = [];
  before(async () => {
    ({ resources } = await plan("azure", AzureKit as never));
  });

  it("a federated credential for cert-manager's ServiceAccount on the cluster's issuer", () => {
    const federation = named(resources, "-acme-identity-federation");
    assert.equal(federation.subject, "system:serviceaccount:cert-manager:cert-manager");
    assert.deepEqual(federation.audiences, ["api://AzureADTokenExchange"]);
  });

  it("DNS Zone Contributor on the zone alone, from the zone's subscription", () => {
    const grant = named(resources, "-acme-identity-dns-zone");
    assert.equal(
      grant.scope,
      `/subscriptions/${ZONE_SUBSCRIPTION}/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com`,
    );
    assert.equal(
      grant.roleDefinitionId,
      `/subscriptions/${ZONE_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/` +
        "befefa01-2a29-4197-83a8-272ff33ce314",
    );
    assert.equal(grant.principalType, "ServicePrincipal");
  });
});

describe("alicloud kit with Alibaba Cloud DNS DNS-01", () => {
  let resources: PlannedResource[] = [];
  let keyPair: unknown;
  before(async () => {
    const planned = await plan("alicloud", AlicloudKit as never);
    resources = planned.resources;
    keyPair = planned.access.keyPair;
  });

  it("a RAM user whose only policy is the zone's record calls, and one access key for the webhook", () => {
    const policy = JSON.parse(named(resources, "-acme-credentials-policy").policyDocument);
    assert.deepEqual(
      policy.Statement.map((s: { Resource: string[] }) => s.Resource),
      [["acs:alidns:*:*:domain/example.com"]],
    );
    const attachment = named(resources, "-acme-credentials-attachment");
    assert.equal(attachment.policyType, "Custom");
    named(resources, "-acme-credentials-key");
    assert.ok(keyPair, "the key pair reaches cert-manager's namespace as a Secret");
  });
});
