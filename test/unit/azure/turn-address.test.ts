import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AzureKit } from "../../../components/azure/kit";
import { turnResourceGroupName } from "../../../components/azure/naming";
import { builtInRoles } from "../../../components/azure/permissions";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

const config = loadConfig(readStackFile("azure").config, { cloudRules: kitDescriptors }) as PlatformConfig;
const subscription = "00000000-0000-4000-8000-000000000001";
const turnGroup = turnResourceGroupName({ name: config.name, stack: "azure", region: config.region });
let resources: PlannedResource[] = [];
let outputs: Record<string, unknown> = {};

before(async () => {
  const recorded = await recordProgram(
    () => {
      const o = new AzureKit("warbler-azure", { config, stack: "azure" }).outputs;
      const turn = o.cluster.loadBalancer.turnAddress;
      return { ip: turn.ip, annotations: pulumi.output(turn.annotations), zone: turn.zone, zones: o.network.zones };
    },
    { project: "warbler", stack: "azure", region: config.region, accountId: "unused", subscriptionId: subscription },
    providerMocks,
  );
  resources = recorded.resources;
  outputs = recorded.outputs;
});

const named = (type: string, name: string) => {
  const found = resources.find((r) => r.type === `azure-native:${type}` && r.name === name);
  assert.ok(found, `no ${type} named ${name}`);
  return found;
};
const ip = () => named("network:PublicIPAddress", "warbler-azure-turn-address-ip");
const group = () => named("resources:ResourceGroup", "warbler-azure-turn-address-rg");

test(
  "the TURN address is a static, zone-redundant Standard IPv4 public IP in a resource group of its own, both " +
    "tagged",
  () => {
    assert.equal(group().inputs.resourceGroupName, turnGroup);
    assert.notEqual(turnGroup, named("resources:ResourceGroup", "warbler-azure-rg").inputs.resourceGroupName);
    assert.deepEqual(
      resources
        .filter(
          (r) =>
            r.inputs.resourceGroupName === turnGroup && r.custom && r.type !== "azure-native:resources:ResourceGroup",
        )
        .map((r) => r.type),
      ["azure-native:network:PublicIPAddress"],
      "the TURN resource group must hold the address alone",
    );
    const args = ip().inputs;
    assert.deepEqual(args.sku, { name: "Standard", tier: "Regional" });
    assert.equal(args.publicIPAllocationMethod, "Static");
    assert.equal(args.publicIPAddressVersion, "IPv4");
    assert.deepEqual(args.zones, outputs.zones);
    assert.ok((outputs.zones as string[]).length >= 2);
    for (const r of [ip(), group()]) {
      const tags = r.inputs.tags as Record<string, string>;
      assert.equal(tags.owner, config.tags.owner, r.name);
      assert.equal(tags["data-classification"], config.tags.dataClassification, r.name);
    }
    assert.equal(outputs.zone, undefined, "a zone-redundant address must not pin the TURN pod");
  },
);

test("the contract hands over that address and the annotations that bind the TURN load balancer to it", () => {
  assert.equal(outputs.ip, ip().outputs.ipAddress);
  assert.deepEqual(outputs.annotations, {
    "service.beta.kubernetes.io/azure-pip-name": ip().outputs.name,
    "service.beta.kubernetes.io/azure-load-balancer-resource-group": turnGroup,
  });
});

test(
  "the AKS control-plane identity holds Network Contributor on the TURN resource group only, and the " +
    "annotations wait for it",
  () => {
    const grant = named("authorization:RoleAssignment", "warbler-azure-turn-address-network");
    assert.equal(grant.inputs.scope, group().id);
    assert.ok(String(grant.inputs.roleDefinitionId).endsWith(`/roleDefinitions/${builtInRoles.networkContributor}`));
    const clusterIdentity = named("managedidentity:UserAssignedIdentity", "warbler-azure-cluster-identity");
    assert.equal(grant.inputs.principalId, clusterIdentity.outputs.principalId);
    const aks = named("containerservice:ManagedCluster", "warbler-azure-cluster-aks");
    assert.ok(
      JSON.stringify(aks.inputs.identity).includes(clusterIdentity.id),
      "the grant is not for the identity AKS runs as",
    );
  },
);
