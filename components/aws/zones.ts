import { ArgumentChecks } from "../../lib/check";

/**
 * Zone suffixes where a region lacks the usual a, b, c (zone letters that
 * were retired or never opened). Every other supported region has a, b, c.
 */
const zoneLetters: Record<string, string> = {
  "ap-northeast-1": "acd",
  "ca-central-1": "abd",
};

/**
 * The first `count` availability zones of a region, known at plan time so
 * the contract's zone list is plain data. EKS rejects a few zones of some
 * regions (such as us-east-1e); the first three letters avoid all of them.
 */
export function planZones(region: string, count: number): string[] {
  const letters = zoneLetters[region] ?? "abc";
  const check = new ArgumentChecks();
  const allowed = Number.isInteger(count) && count >= 1 && count <= letters.length;
  check.require(allowed, "zones", count, `must be 1 to ${letters.length} in ${region}`);
  check.throwIfAny(RangeError);
  return Array.from(letters.slice(0, count), (letter) => `${region}${letter}`);
}
