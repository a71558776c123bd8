import { ArgumentChecks } from "../../lib/check";

/** Zones an Azure region with availability zones offers; every such region has three. */
const ZONES_PER_REGION = 3;

/**
 * The first `count` zones of a region. Azure names them "1".."3" in every
 * region, so the names are known at plan time, as the contract wants.
 */
export function planZones(region: string, count: number): string[] {
  const check = new ArgumentChecks();
  const allowed = Number.isInteger(count) && count >= 1 && count <= ZONES_PER_REGION;
  check.require(allowed, "zones", count, `must be 1 to ${ZONES_PER_REGION} in ${region}`);
  check.throwIfAny(RangeError);
  return Array.from({ length: count }, (_, i) => String(i + 1));
}
