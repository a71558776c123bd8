import { createHash } from "node:crypto";

/**
 * Azure resource names. Key Vault, storage account and PostgreSQL server
 * names are global DNS labels: the same name+stack in two subscriptions would
 * collide, and a deleted vault's name stays reserved for its 90-day soft-delete
 * window. Each of those names ends in a short hash of name, stack and region,
 * so it is unique and stable across runs (renaming replaces the resource).
 */
export interface NameSeed {
  /** The config `name` (2-10 lowercase letters, digits, dashes). */
  name: string;
  /** The Pulumi stack name; any characters. */
  stack: string;
  /** The Azure region. */
  region: string;
}

/** Eight hex characters from the seed and the resource kind. */
export function nameHash(seed: NameSeed, kind: string, length = 8): string {
  return createHash("sha256").update(`${seed.name}/${seed.stack}/${seed.region}/${kind}`).digest("hex").slice(0, length);
}

/** Lowercase letters, digits and single dashes, no leading or trailing dash. */
function dashed(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

function alphanumeric(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

/** Cuts `base` so that base + suffix fits `max`, without leaving a dash at the cut. */
function fit(base: string, suffix: string, max: number): string {
  return base.slice(0, Math.max(0, max - suffix.length)).replace(/-+$/, "") + suffix;
}

/** Ensures a leading letter, which most Azure names require. */
function letterFirst(text: string, fallback: string): string {
  return /^[a-z]/.test(text) ? text : `${fallback}${text}`;
}

/** Resource group: 1-90 characters; unique per subscription only. */
export function resourceGroupName(seed: NameSeed): string {
  return fit(letterFirst(dashed(`${seed.name}-${seed.stack}`), "w"), "-rg", 90);
}

/** Key Vault: 3-24 alphanumerics and dashes, starts with a letter, no "--"; globally unique. */
export function keyVaultName(seed: NameSeed): string {
  return fit(letterFirst(dashed(`${seed.name}-${seed.stack}`), "kv"), `-${nameHash(seed, "vault")}`, 24);
}

/** Storage account: 3-24 lowercase letters and digits; globally unique. */
export function storageAccountName(seed: NameSeed): string {
  return fit(letterFirst(alphanumeric(`${seed.name}${seed.stack}`), "st"), nameHash(seed, "storage"), 24);
}

/** PostgreSQL Flexible Server: 3-63 lowercase letters, digits, dashes; a global DNS label. */
export function postgresServerName(seed: NameSeed): string {
  return fit(letterFirst(dashed(`${seed.name}-${seed.stack}-pg`), "pg"), `-${nameHash(seed, "postgres")}`, 63);
}

/** AKS cluster: 1-63 letters, digits, dashes, underscores; unique in the resource group. */
export function clusterName(seed: NameSeed): string {
  return fit(letterFirst(dashed(`${seed.name}-${seed.stack}`), "aks"), "-aks", 63);
}

/** AKS DNS prefix: 1-54 letters, digits and dashes, starting and ending with a letter or digit. */
export function clusterDnsPrefix(seed: NameSeed): string {
  return fit(letterFirst(dashed(`${seed.name}-${seed.stack}`), "aks"), `-${nameHash(seed, "dns", 6)}`, 54);
}

/** AKS Linux agent pool: 1-12 lowercase letters and digits, starting with a letter. */
export function agentPoolName(pool: string): string {
  return letterFirst(alphanumeric(pool), "p").slice(0, 12);
}

/** Log Analytics workspace: 4-63 letters, digits and dashes, starting and ending with a letter or digit. */
export function workspaceName(seed: NameSeed): string {
  return fit(letterFirst(dashed(`${seed.name}-${seed.stack}`), "log"), "-audit", 63);
}

/** Resource group that holds only the TURN relay's public IP, so the cluster's network rights there reach nothing else. */
export function turnResourceGroupName(seed: NameSeed): string {
  return fit(letterFirst(dashed(`${seed.name}-${seed.stack}`), "w"), "-turn-rg", 90);
}
