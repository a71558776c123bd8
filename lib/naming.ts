import { createHash } from "node:crypto";

/**
 * The helpers every kit builds cloud-side names from. Each kit keeps its
 * services' rules (length limits, allowed characters) as data in its own
 * naming.ts and passes them in. Pure and deterministic: the same inputs
 * always give the same name, so `pulumi up` never renames (replaces) a live
 * resource.
 */

/** What a stack's names derive from. */
export interface NameSeed {
  /** The config `name` (2-10 lowercase letters, digits, dashes). */
  name: string;
  /** The Pulumi stack name; any characters. */
  stack: string;
  /** The stack's region. */
  region: string;
}

/** A service's naming rule, kept as data so tests check every name against it. */
export interface NameRule {
  maxLength: number;
  /** What the service accepts. */
  pattern: RegExp;
}

/** Hex digits of the hash that keeps names unique. */
export const HASH_LENGTH = 8;

/**
 * The first `length` hex digits of SHA-256 over `parts` joined by
 * `separator`: the uniqueness suffix. Separators differ between kits because
 * names already deployed were hashed with them.
 */
export function shortHash(parts: readonly string[], length = HASH_LENGTH, separator = "\u0000"): string {
  return createHash("sha256").update(parts.join(separator)).digest("hex").slice(0, length);
}

/** Lowercase letters, digits and single dashes, no dash at either end. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Lowercase letters and digits only. */
export function alphanumeric(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

/** `text`, behind `prefix` unless it already starts with a letter, as most cloud names must. */
export function letterFirst(text: string, prefix: string): string {
  return /^[a-z]/.test(text) ? text : `${prefix}${text}`;
}

/**
 * `base`, `separator` and `suffix` within `maxLength`: only `base` is cut,
 * never the suffix (often the hash that keeps the name unique), and no dash
 * is left at the cut. The suffix alone when nothing of `base` fits.
 */
export function fit(base: string, suffix: string, maxLength: number, separator = "-"): string {
  const kept = base.slice(0, Math.max(0, maxLength - suffix.length - separator.length)).replace(/-+$/, "");
  return kept ? `${kept}${separator}${suffix}` : suffix;
}

/**
 * A name from `parts` within `maxLength`, in the strictest character set
 * clouds accept (lowercase letters, digits and single dashes, starting with a
 * letter, ending with a letter or digit). With `uniqueSeed`, its hash is always
 * appended (for names that must be unique beyond the account); without it,
 * the hash of the full name is appended only when the name has to be cut (so
 * cut names stay distinct) or is a single character.
 */
export function boundedName(parts: readonly string[], maxLength: number, uniqueSeed?: readonly string[]): string {
  if (maxLength < HASH_LENGTH + 3) throw new RangeError(`maxLength (${maxLength}) must be at least ${HASH_LENGTH + 3}`);
  const full = letterFirst(slug(parts.join("-")) || "warbler", "w");
  if (uniqueSeed) return fit(full, shortHash(uniqueSeed), maxLength);
  // Names must start with a letter and end with a letter or digit: one character cannot do both.
  if (full.length < 2) return `${full}-${shortHash([full])}`;
  if (full.length <= maxLength) return full;
  return fit(full, shortHash([full]), maxLength);
}
