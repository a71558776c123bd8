import { alphanumeric, fit, letterFirst, type NameRule, type NameSeed, shortHash, slug } from "../../lib/naming";

/**
 * Azure resource names. Key Vault, storage account and PostgreSQL server
 * names are global DNS labels: the same name+stack in two subscriptions would
 * collide, and a deleted vault's name stays reserved for its 90-day soft-delete
 * window. Each of those names ends in a short hash of name, stack and region,
 * so it is unique and stable across runs (renaming replaces the resource).
 */

/**
 * Azure's rules for each name the kit sets, from "Naming rules and restrictions
 * for Azure resources" (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
 */
export const nameRules = {
  /** 1-90 letters, digits, `_().-`; no trailing period; unique per subscription. */
  resourceGroup: { maxLength: 90, pattern: /^[\w().-]{0,89}[\w()-]$/ },
  /** 3-24 letters, digits, dashes; starts with a letter, ends with a letter or digit, no `--`; global. */
  keyVault: { maxLength: 24, pattern: /^(?=.{3,24}$)[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/ },
  /** 3-24 lowercase letters and digits; global. */
  storageAccount: { maxLength: 24, pattern: /^[a-z0-9]{3,24}$/ },
  /** PostgreSQL Flexible Server: 3-63 lowercase letters, digits, dashes; no dash at either end; a global DNS label. */
  postgresServer: { maxLength: 63, pattern: /^(?=.{3,63}$)[a-z0-9][a-z0-9-]*[a-z0-9]$/ },
  /** AKS cluster: 1-63 letters, digits, dashes, underscores; letter or digit at both ends. */
  cluster: { maxLength: 63, pattern: /^[a-zA-Z0-9](?:[\w-]{0,61}[a-zA-Z0-9])?$/ },
  /** AKS DNS prefix: 1-54 letters, digits, dashes; letter or digit at both ends. */
  dnsPrefix: { maxLength: 54, pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$/ },
  /** AKS Linux agent pool: 1-12 lowercase letters and digits, starting with a letter. */
  agentPool: { maxLength: 12, pattern: /^[a-z][a-z0-9]{0,11}$/ },
  /** Log Analytics workspace: 4-63 letters, digits, dashes; letter or digit at both ends. */
  workspace: { maxLength: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$/ },
} as const satisfies Record<string, NameRule>;

/** Hex digits from the seed and the resource kind; "/" joins them, as in every name already deployed. */
export function nameHash(seed: NameSeed, kind: string, length?: number): string {
  return shortHash([seed.name, seed.stack, seed.region, kind], length, "/");
}

/** `<name>-<stack>` as Azure names start, with a letter first. */
function readable(seed: NameSeed, fallback: string, tail = ""): string {
  return letterFirst(slug(`${seed.name}-${seed.stack}${tail}`), fallback);
}

/** Resource group: unique per subscription only. */
export function resourceGroupName(seed: NameSeed): string {
  return fit(readable(seed, "w"), "rg", nameRules.resourceGroup.maxLength);
}

/**
 * Key Vault; globally unique. `instance` is random per stack instance (key.ts): a purge-protected vault keeps its
 * name reserved for the 90-day soft-delete window, so a stack destroyed and created again needs a new name.
 */
export function keyVaultName(seed: NameSeed, instance: string): string {
  return fit(readable(seed, "kv"), `${nameHash(seed, "vault", 4)}${instance}`, nameRules.keyVault.maxLength);
}

/** Storage account; globally unique, and no dashes at all. */
export function storageAccountName(seed: NameSeed): string {
  const base = letterFirst(alphanumeric(`${seed.name}${seed.stack}`), "st");
  return fit(base, nameHash(seed, "storage"), nameRules.storageAccount.maxLength, "");
}

/** PostgreSQL Flexible Server; globally unique. */
export function postgresServerName(seed: NameSeed): string {
  return fit(readable(seed, "pg", "-pg"), nameHash(seed, "postgres"), nameRules.postgresServer.maxLength);
}

/** AKS cluster; unique in the resource group. */
export function clusterName(seed: NameSeed): string {
  return fit(readable(seed, "aks"), "aks", nameRules.cluster.maxLength);
}

/** AKS DNS prefix of the API server's host name. */
export function clusterDnsPrefix(seed: NameSeed): string {
  return fit(readable(seed, "aks"), nameHash(seed, "dns", 6), nameRules.dnsPrefix.maxLength);
}

/** AKS Linux agent pool, from the config's pool name. */
export function agentPoolName(pool: string): string {
  return letterFirst(alphanumeric(pool), "p").slice(0, nameRules.agentPool.maxLength);
}

/** Log Analytics workspace of the audit log. */
export function workspaceName(seed: NameSeed): string {
  return fit(readable(seed, "log"), "audit", nameRules.workspace.maxLength);
}

/**
 * Resource group of the disk encryption set alone: the AKS BYOK guide gives the cluster identity Contributor on the
 * set's group, which must then reach nothing else (the vault, database and storage live in the main group).
 */
export function diskEncryptionResourceGroupName(seed: NameSeed): string {
  return fit(readable(seed, "w"), "disks-rg", nameRules.resourceGroup.maxLength);
}

/** Resource group of the TURN relay's public IP alone, so the cluster's network rights there reach nothing else. */
export function turnResourceGroupName(seed: NameSeed): string {
  return fit(readable(seed, "w"), "turn-rg", nameRules.resourceGroup.maxLength);
}
