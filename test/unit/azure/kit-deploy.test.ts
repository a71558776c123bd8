import assert from "node:assert/strict";
import { before, test } from "node:test";
import { AzureKit } from "../../../components/azure/kit";
import { AzureVpn } from "../../../components/azure/vpn";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

// The example stack deployed from an in-network CI runner as a service principal, with every Azure switch on.
const raw = readStackFile("azure").config;
const config = loadConfig(
  {
    ...raw,
    "warbler:cluster": {
      ...(raw["warbler:cluster"] as Record<string, unknown>),
      publicAccessCidrs: [],
      privateAccessCidrs: ["10.99.0.0/24"],
      azureLogin: "spn",
      azurePrincipalType: "ServicePrincipal",
      azureDefender: true,
      azureEncryptionAtHost: true,
      azurePolicy: false,
    },
    // An Azure VM keeps at most 500,000 inbound flows (config-rules.ts): the cloud-neutral default is refused.
    "warbler:im": { turn: false, sessionsPerInstance: 500_000 },
  },
  { cloudRules: kitDescriptors },
) as PlatformConfig;
let resources: PlannedResource[] = [];

before(async () => {
  ({ resources } = await recordProgram(
    () => {
      const kit = new AzureKit("warbler-azure", { config, stack: "azure-ci" });
      new AzureVpn("link", {
        network: kit.outputs.network,
        region: "westeurope",
        location: "westeurope",
        peerCidr: "10.20.0.0/16",
        peerGatewayIp: "198.51.100.20",
        peerSecondGatewayIp: "198.51.100.21",
        presharedKey: "k",
        tags: {},
      });
    },
    {
      project: "warbler",
      stack: "azure-ci",
      region: "westeurope",
      accountId: "unused",
      subscriptionId: "00000000-0000-4000-8000-000000000003",
    },
    providerMocks,
  ));
});

const ofType = (type: string) => resources.filter((r) => r.type === `azure-native:${type}`);
const one = (type: string) => {
  const found = ofType(type);
  assert.equal(found.length, 1, type);
  return found[0];
};
const inputs = (type: string) => one(type).inputs as Record<string, any>;
const named = (suffix: string) => resources.find((r) => r.name.endsWith(suffix))!;

test("with only an in-network range the cluster is private, and the API server subnet names that range", () => {
  const api = inputs("containerservice:ManagedCluster").apiServerAccessProfile;
  assert.equal(api.enablePrivateCluster, true);
  assert.equal(api.authorizedIPRanges, undefined);
  const nsg = named("network-apiserver-nsg").inputs as any;
  assert.ok(nsg.securityRules[0].sourceAddressPrefixes.includes("10.99.0.0/24"));
});

test("a service principal deployer gets its roles as a ServicePrincipal", () => {
  for (const name of ["warbler-azure-cluster-deployer-admin", "warbler-azure-key-deployer-officer"])
    assert.equal(named(name).inputs.principalType, "ServicePrincipal", name);
});

test("Defender reports to the audit workspace, encryption at host is on every pool, the Policy add-on is off", () => {
  const aks = inputs("containerservice:ManagedCluster");
  assert.deepEqual(aks.securityProfile.defender, {
    logAnalyticsWorkspaceResourceId: one("operationalinsights:Workspace").id,
    securityMonitoring: { enabled: true },
  });
  assert.deepEqual(aks.addonProfiles, { azurepolicy: { enabled: false } });
  const pools = [...aks.agentPoolProfiles, ...ofType("containerservice:AgentPool").map((p) => p.inputs)];
  // The config pool's three zone shares and the ejabberd pool's.
  assert.equal(pools.length, 6);
  assert.equal(pools.filter((p) => p.tags["warbler-pool"] === "ejabberd").length, 3);
  for (const pool of pools) assert.equal(pool.enableEncryptionAtHost, true);
});

test("without TURN the node subnets open no UDP port at all", () => {
  const nsg = named("network-private-nsg").inputs as any;
  assert.deepEqual(
    nsg.securityRules.map((r: any) => r.protocol),
    ["Tcp"],
  );
});

test("both AWS tunnels get a local network gateway and a connection", () => {
  assert.deepEqual(
    ofType("network:LocalNetworkGateway").map((g) => g.inputs.gatewayIpAddress),
    ["198.51.100.20", "198.51.100.21"],
  );
  assert.equal(ofType("network:VirtualNetworkGatewayConnection").length, 2);
});

// ARM refuses a subnet write while another runs on the same VNet (AnotherOperationInProgress); the GatewaySubnet
// must wait for the kit's subnets (https://learn.microsoft.com/en-us/azure/azure-resource-manager/troubleshooting/
// common-deployment-errors, AnotherOperationInProgress).
test("every subnet change is serialized, the GatewaySubnet after all of the kit's subnets", () => {
  const subnets = ofType("network:Subnet");
  const gateway = subnets.find((s) => s.inputs.subnetName === "GatewaySubnet")!;
  const kitSubnets = subnets.filter((s) => s !== gateway);
  assert.equal(kitSubnets.length, 10);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const after = new Set<string>();
  const visit = (urn: string) => {
    for (const d of byUrn.get(urn)?.dependencies ?? []) {
      if (after.has(d)) continue;
      after.add(d);
      visit(d);
    }
  };
  visit(gateway.urn);
  for (const s of kitSubnets) assert.ok(after.has(s.urn), `GatewaySubnet waits for ${s.name}`);
  // The kit's own subnets form one chain: each but the first depends on exactly one other subnet.
  const chained = kitSubnets.filter((s) => s.dependencies.some((d) => kitSubnets.some((k) => k.urn === d)));
  assert.equal(chained.length, kitSubnets.length - 1);
});
