import { createHash } from "node:crypto";

/**
 * Names of Alibaba Cloud resources. Every name here uses the strictest
 * character set any of them allows (lowercase letters, digits and single
 * dashes, starting with a letter and ending with a letter or digit), so one
 * sanitizer serves OSS buckets, SLS projects, RAM roles and policies, KMS
 * aliases, ACK clusters, RDS instances and VPC resources; only the length
 * limit differs. Pure and deterministic: the same name, stack and region
 * always give the same result, so `pulumi up` never renames (replaces) a
 * live resource.
 */

/** Length limits of the names this kit sets. */
export const nameLimits = {
  /** OSS bucket: 3-63 characters, unique across all Alibaba Cloud accounts. */
  ossBucket: 63,
  /** SLS (Log Service) project: 3-63 characters, unique across all accounts in a region. */
  logProject: 63,
  /** RAM role: 1-64 characters, unique in the account. */
  ramRole: 64,
  /** RAM policy: 1-128 characters, unique in the account. */
  ramPolicy: 128,
  /** RAM user: 1-64 characters, unique in the account. */
  ramUser: 64,
  /** Classic Load Balancer: up to 80 characters. */
  loadBalancer: 80,
  /** ACK cluster and node pool: 1-63 characters. */
  cluster: 63,
  /** KMS alias, including its `alias/` prefix: up to 255 characters. */
  kmsAlias: 255,
  /** VPC, vSwitch, NAT gateway, EIP, security group, RDS instance: 2-128 characters. */
  network: 128,
} as const;

const HASH_LENGTH = 8;

/** A short lowercase hex digest of the seed parts: the uniqueness suffix. */
export function hashSuffix(seed: readonly string[], length = HASH_LENGTH): string {
  return createHash("sha256").update(seed.join("\u0000")).digest("hex").slice(0, length);
}

/** Lowercases and reduces text to letters, digits and single dashes, without leading or trailing dashes. */
export function sanitize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function withLetterStart(text: string): string {
  return /^[a-z]/.test(text) ? text : `w${text}`;
}

function cut(text: string, max: number): string {
  return text.slice(0, max).replace(/-+$/, "");
}

/**
 * A name from `parts` within `maxLength`. With `uniqueSeed`, an 8-hex-digit
 * digest of the seed is always appended (for names that must be unique
 * beyond the account); without it, the digest of the full name is appended
 * when the name has to be shortened (so truncated names stay distinct) or is
 * a single character.
 */
export function boundedName(parts: readonly string[], maxLength: number, uniqueSeed?: readonly string[]): string {
  if (maxLength < HASH_LENGTH + 3) throw new RangeError(`maxLength (${maxLength}) must be at least ${HASH_LENGTH + 3}`);
  const full = withLetterStart(sanitize(parts.join("-")) || "warbler");
  if (uniqueSeed) return `${cut(full, maxLength - HASH_LENGTH - 1)}-${hashSuffix(uniqueSeed)}`;
  // Names must start with a letter and end with a letter or digit: one character cannot do both.
  if (full.length < 2) return `${full}-${hashSuffix([full])}`;
  if (full.length <= maxLength) return full;
  return `${cut(full, maxLength - HASH_LENGTH - 1)}-${hashSuffix([full])}`;
}

/** The OSS bucket for uploaded files: globally unique, so seeded by name, stack and region. */
export function bucketName(name: string, stack: string, region: string): string {
  return boundedName([name, stack, "files"], nameLimits.ossBucket, [name, stack, region, "files"]);
}

/** The SLS project that holds the cluster's control-plane and audit logs: unique in the region across accounts. */
export function logProjectName(name: string, stack: string, region: string): string {
  return boundedName([name, stack, "k8s-logs"], nameLimits.logProject, [name, stack, region, "k8s-logs"]);
}

/** The KMS alias of the stack's data key; aliases are unique per account and region. */
export function kmsAliasName(name: string, stack: string): string {
  return `alias/${boundedName([name, stack, "data"], nameLimits.kmsAlias - "alias/".length)}`;
}

/** A name unique within the account (RAM roles and policies, clusters, network resources). */
export function accountName(name: string, stack: string, role: string, maxLength: number): string {
  return boundedName([name, stack, role], maxLength);
}
