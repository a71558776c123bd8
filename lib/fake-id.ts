import { createHash } from "node:crypto";

/** A deterministic id for a resource name, so plans are stable run to run. */
export function fakeId(prefix: string, name: string, length = 17): string {
  return `${prefix}${createHash("sha256").update(name).digest("hex").slice(0, length)}`;
}

/** A deterministic IPv4 address in `first`.0.0.0/8 for a seed, as a cloud would hand out (never .0, .1 or .255). */
export function fakeIp(seed: string, first: number): string {
  const bytes = createHash("sha256").update(seed).digest();
  return `${first}.${bytes[0]}.${bytes[1]}.${(bytes[2] % 250) + 2}`;
}
