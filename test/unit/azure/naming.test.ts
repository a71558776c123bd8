import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  agentPoolName,
  clusterDnsPrefix,
  clusterName,
  keyVaultName,
  postgresServerName,
  resourceGroupName,
  storageAccountName,
  workspaceName,
  type NameSeed,
} from "../../../components/azure/naming";
import { regions } from "../../../config/regions";

const configName = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
const seed: fc.Arbitrary<NameSeed> = fc.record({
  name: configName,
  stack: fc.string({ minLength: 1, maxLength: 80 }),
  region: fc.constantFrom(...regions.azure),
});

const rules: [string, (s: NameSeed) => string, RegExp][] = [
  ["Key Vault (3-24, letter first, alphanumerics and single dashes)", keyVaultName, /^(?=.{3,24}$)[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/],
  ["storage account (3-24 lowercase alphanumerics)", storageAccountName, /^[a-z0-9]{3,24}$/],
  ["PostgreSQL server (3-63 lowercase, digits, dashes)", postgresServerName, /^(?=.{3,63}$)[a-z][a-z0-9-]*[a-z0-9]$/],
  ["resource group (1-90)", resourceGroupName, /^(?=.{1,90}$)[a-z][a-z0-9-]*[a-z0-9]$/],
  ["AKS cluster (1-63)", clusterName, /^(?=.{1,63}$)[a-z][a-z0-9-]*[a-z0-9]$/],
  ["AKS DNS prefix (1-54)", clusterDnsPrefix, /^(?=.{1,54}$)[a-z][a-z0-9-]*[a-z0-9]$/],
  ["Log Analytics workspace (4-63)", workspaceName, /^(?=.{4,63}$)[a-z][a-z0-9-]*[a-z0-9]$/],
];

for (const [what, make, pattern] of rules) {
  test(`${what} names follow Azure's rules for any stack name`, () => {
    fc.assert(fc.property(seed, (s) => pattern.test(make(s))), { numRuns: 300 });
  });
}

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

test("AKS pool names are 1-12 lowercase alphanumerics starting with a letter", () => {
  fc.assert(fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), (pool) => /^[a-z][a-z0-9]{0,11}$/.test(agentPoolName(pool))));
  assert.equal(agentPoolName("im-edge"), "imedge");
});
