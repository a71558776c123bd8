import assert from "node:assert/strict";
import { before, test } from "node:test";
import { AzureKit } from "../../../components/azure/kit";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

// The example stack with every option turned the other way, planned once for this file.
const raw = readStackFile("azure").config;
const config = loadConfig(
  {
    ...raw,
    "warbler:network": { cidr: "10.40.0.0/16", zones: 2 },
    "warbler:cluster": {
      version: "1.35",
      publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
      auditLogRetentionDays: 2555,
      nodePools: [
        { name: "system", size: "small", min: 2, max: 3 },
        { name: "im-edge", size: "xlarge", min: 1, max: 10 },
      ],
    },
    "warbler:database": {
      version: "17",
      size: "large",
      storageGb: 500,
      highAvailability: false,
      backupRetentionDays: 35,
      deletionProtection: false,
    },
    "warbler:storage": { noncurrentVersionDays: 90, expireAfterDays: 400 },
  },
  { cloudRules: kitDescriptors },
) as PlatformConfig;
let resources: PlannedResource[] = [];

before(async () => {
  ({ resources } = await recordProgram(
    () => {
      new AzureKit("warbler-azure", { config, stack: "azure-options" });
    },
    {
      project: "warbler",
      stack: "azure-options",
      region: "westeurope",
      accountId: "unused",
      subscriptionId: "00000000-0000-4000-8000-000000000002",
    },
    providerMocks,
  ));
});

const ofType = (type: string) => resources.filter((r) => r.type === `azure-native:${type}`);
const inputs = (type: string) => {
  const found = ofType(type);
  assert.equal(found.length, 1, type);
  return found[0].inputs as Record<string, any>;
};

test("publicAccessCidrs opens a public API endpoint to exactly those CIDRs and nothing else", () => {
  const api = inputs("containerservice:ManagedCluster").apiServerAccessProfile;
  assert.equal(api.enablePrivateCluster, false);
  assert.deepEqual(api.authorizedIPRanges, ["203.0.113.0/24", "198.51.100.7/32"]);
  assert.equal(api.enableVnetIntegration, true);
});

test("the first config pool's zone shares are System pools; further pools are User pools, one per zone", () => {
  const aks = inputs("containerservice:ManagedCluster");
  assert.equal(aks.agentPoolProfiles.length, 1, "one share inline: AKS creates it with the cluster");
  const shares = [
    aks.agentPoolProfiles[0],
    ...ofType("containerservice:AgentPool")
      .filter((p) => (p.inputs.tags as Record<string, string>)["warbler-pool"] !== "ejabberd")
      .map((p) => ({ ...p.inputs, name: p.inputs.agentPoolName })),
  ] as Record<string, any>[];
  assert.deepEqual(shares.map((p) => [p.name, p.mode, p.availabilityZones, p.minCount, p.maxCount]).sort(), [
    ["imedge1", "User", ["1"], 1, 5],
    ["imedge2", "User", ["2"], 0, 5],
    ["system1", "System", ["1"], 1, 2],
    ["system2", "System", ["2"], 1, 1],
  ]);
  for (const pool of shares.filter((p) => p.mode === "User")) {
    assert.equal(pool.enableAutoScaling, true);
    assert.equal(pool.vmSize, "Standard_D16s_v5");
    assert.equal(pool.osDiskType, "Managed");
    assert.equal(pool.orchestratorVersion, "1.35");
  }
  const edge2 = shares.find((p) => p.name === "imedge2")!;
  assert.match(edge2.vnetSubnetID, /private-2$/, "each zone's share sits in its zone's subnet");
});

test("two zones give two subnets per tier and two NAT gateways", () => {
  const subnets = ofType("network:Subnet").map((s) => s.name);
  for (const tier of ["private", "database", "public"])
    assert.equal(subnets.filter((n) => n.includes(`-${tier}-`)).length, 2, tier);
  assert.equal(ofType("network:NatGateway").length, 2);
});

test(
  "without HA the server has no standby; retention, version and size follow config; no lock without deletion " +
    "protection",
  () => {
    const server = inputs("dbforpostgresql:Server");
    assert.equal(server.highAvailability.mode, "Disabled");
    assert.ok(!server.highAvailability.standbyAvailabilityZone);
    assert.equal(server.backup.backupRetentionDays, 35);
    assert.equal(server.version, "17");
    assert.equal(server.sku.name, "Standard_D8ds_v5");
    assert.equal(server.storage.storageSizeGB, 512);
    assert.equal(ofType("authorization:ManagementLockByScope").length, 0);
  },
);

test("audit retention beyond two years is kept as total retention on the audit tables", () => {
  assert.equal(inputs("operationalinsights:Workspace").retentionInDays, 730);
  const tables = ofType("operationalinsights:Table");
  assert.deepEqual(tables.map((t) => t.inputs.tableName).sort(), ["AKSAudit", "AKSAuditAdmin", "AKSControlPlane"]);
  for (const t of tables) assert.equal(t.inputs.totalRetentionInDays, 2555);
});

test("expireAfterDays adds a rule that deletes files after that many days", () => {
  const rules = inputs("storage:ManagementPolicy").policy.rules as any[];
  assert.equal(rules.length, 2);
  assert.equal(rules[1].definition.actions.baseBlob.delete.daysAfterModificationGreaterThan, 400);
  assert.equal(rules[0].definition.actions.version.delete.daysAfterCreationGreaterThan, 90);
});
