import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  agentPoolName,
  clusterDnsPrefix,
  clusterName,
  keyVaultName,
  nameRules,
  postgresServerName,
  resourceGroupName,
  storageAccountName,
  turnResourceGroupName,
  workspaceName,
} from "../../../components/azure/naming";
import { regions } from "../../../config/regions";
import type { NameRule, NameSeed } from "../../../lib/naming";

const configName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const seed: fc.Arbitrary<NameSeed> = fc.record({
  name: configName,
  stack: fc.string({ minLength: 1, maxLength: 80 }),
  region: fc.constantFrom(...regions.azure),
});

const rules: [string, (s: NameSeed) => string, NameRule][] = [
  ["Key Vault", keyVaultName, nameRules.keyVault],
  ["storage account", storageAccountName, nameRules.storageAccount],
  ["PostgreSQL server", postgresServerName, nameRules.postgresServer],
  ["resource group", resourceGroupName, nameRules.resourceGroup],
  ["TURN resource group", turnResourceGroupName, nameRules.resourceGroup],
  ["AKS cluster", clusterName, nameRules.cluster],
  ["AKS DNS prefix", clusterDnsPrefix, nameRules.dnsPrefix],
  ["Log Analytics workspace", workspaceName, nameRules.workspace],
];

for (const [what, make, rule] of rules) {
  test(`${what} names follow Azure's rule for any stack name`, () => {
    fc.assert(
      fc.property(seed, (s) => {
        const name = make(s);
        assert.ok(name.length <= rule.maxLength, `${name} is longer than ${rule.maxLength}`);
        assert.match(name, rule.pattern);
      }),
      { numRuns: 300 },
    );
  });
}

test("the rules hold Azure's edge cases: no '--' in a vault name, no dash in a storage account", () => {
  assert.doesNotMatch("warbler--azure", nameRules.keyVault.pattern);
  assert.doesNotMatch("warbler-azure", nameRules.storageAccount.pattern);
  assert.doesNotMatch("rg.", nameRules.resourceGroup.pattern);
  assert.doesNotMatch("abc", nameRules.workspace.pattern);
});

test("globally unique names differ between stacks, regions and config names, and are stable run to run", () => {
  for (const make of [keyVaultName, storageAccountName, postgresServerName]) {
    const base = { name: "warbler", stack: "azure", region: "westeurope" };
    assert.equal(make(base), make({ ...base }));
    assert.notEqual(make(base), make({ ...base, stack: "azure2" }));
    assert.notEqual(make(base), make({ ...base, region: "northeurope" }));
    assert.notEqual(make(base), make({ ...base, name: "chat" }));
  }
  // Long stack names are cut, but the hash still tells them apart.
  const long = (stack: string) => keyVaultName({ name: "warbler", stack, region: "westeurope" });
  assert.notEqual(long("production-europe-primary"), long("production-europe-standby"));
});

test("known names stay the same (renaming one would replace a live resource)", () => {
  const s = { name: "warbler", stack: "azure", region: "westeurope" };
  assert.equal(keyVaultName(s), "warbler-azure-784d18db");
  assert.equal(storageAccountName(s), "warblerazure87038963");
  assert.equal(postgresServerName(s), "warbler-azure-pg-c129df44");
  assert.equal(resourceGroupName(s), "warbler-azure-rg");
});

test("AKS pool names follow the agent pool rule and drop what it forbids", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), (pool) => {
      const name = agentPoolName(pool);
      assert.ok(name.length <= nameRules.agentPool.maxLength, name);
      assert.match(name, nameRules.agentPool.pattern);
    }),
  );
  assert.equal(agentPoolName("im-edge"), "imedge");
});
