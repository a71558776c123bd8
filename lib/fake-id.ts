import { createHash } from "node:crypto";

/** A deterministic id for a resource name, so plans are stable run to run. */
export function fakeId(prefix: string, name: string, length = 17): string {
  return `${prefix}${createHash("sha256").update(name).digest("hex").slice(0, length)}`;
}
