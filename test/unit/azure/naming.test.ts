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
  // The instance part is what key.ts's RandomString yields: 4 lowercase letters or digits.
  ["Key Vault", (s) => keyVaultName(s, "z9q0"), nameRules.keyVault],
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
  const vault = (s: NameSeed) => keyVaultName(s, "a1b2");
  for (const make of [vault, storageAccountName, postgresServerName]) {
    const base = { name: "warbler", stack: "azure", region: "westeurope" };
    assert.equal(make(base), make({ ...base }));
    assert.notEqual(make(base), make({ ...base, stack: "azure2" }));
    assert.notEqual(make(base), make({ ...base, region: "northeurope" }));
    assert.notEqual(make(base), make({ ...base, name: "chat" }));
  }
  // Long stack names are cut, but the hash still tells them apart.
  const long = (stack: string) => vault({ name: "warbler", stack, region: "westeurope" });
  assert.notEqual(long("production-europe-primary"), long("production-europe-standby"));
});

test("a vault name differs per stack instance, so a re-created stack never meets its purge-protected old name", () => {
  // A soft-deleted vault keeps its name until it is purged, and purge protection forbids purging before the retention
  // (90 days here) ends (https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview).
  const s = { name: "warbler", stack: "azure", region: "westeurope" };
  assert.notEqual(keyVaultName(s, "a1b2"), keyVaultName(s, "c3d4"));
});

test("known names stay the same (renaming one would replace a live resource)", () => {
  const s = { name: "warbler", stack: "azure", region: "westeurope" };
  assert.equal(keyVaultName(s, "a1b2"), "warbler-azure-784da1b2");
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
