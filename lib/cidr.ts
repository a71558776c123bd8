import { ArgumentChecks } from "./check";

/**
 * IPv4 CIDR arithmetic. Pure: used by the config schema to reject bad or
 * overlapping ranges, and by every kit to carve zones into subnets the same way.
 */
export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined for malformed input or host bits set. */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % blockSize(prefix) !== 0) return undefined;
  return { base, prefix };
}

/** Why `text` is not a usable network CIDR, or undefined when it is. */
export function cidrProblem(text: string): string | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return "must be IPv4 CIDR notation such as 10.20.0.0/16";
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  const prefix = Number(m[5]);
  if (prefix > 32) return "has a prefix length above 32";
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % blockSize(prefix) !== 0) {
    return (
      `has host bits set; the network address ` +
      `is ${formatCidr({ base: base - (base % blockSize(prefix)), prefix })}`
    );
  }
  return undefined;
}

export function formatCidr(c: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
  return `${octets.join(".")}/${c.prefix}`;
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

/** True when `inner` lies entirely within `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.base >= outer.base &&
    inner.base + blockSize(inner.prefix) <= outer.base + blockSize(outer.prefix)
  );
}

/** The i-th block of length `newPrefix` inside `parent`; throws when it does not fit. */
export function subnet(parent: Cidr, newPrefix: number, index: number): Cidr {
  const check = new ArgumentChecks();
  const prefixes = `must be ${parent.prefix} to 32 inside ${formatCidr(parent)}`;
  if (check.require(newPrefix >= parent.prefix && newPrefix <= 32, "newPrefix", newPrefix, prefixes)) {
    const count = 2 ** (newPrefix - parent.prefix);
    const blocks = `${formatCidr(parent)} holds ${count} blocks of /${newPrefix}`;
    const fits = Number.isInteger(index) && index >= 0 && index < count;
    check.require(fits, "index", index, `must be 0 to ${count - 1}: ${blocks}`);
  }
  check.throwIfAny(RangeError);
  return { base: parent.base + index * blockSize(newPrefix), prefix: newPrefix };
}

/** Subnet tiers of a zonal network: one block per zone per tier. */
export type SubnetTier = "private" | "public" | "database";

export interface ZoneSubnets {
  zoneIndex: number;
  private: string;
  public: string;
  database: string;
}

/**
 * The one layout every kit uses, so networks are comparable across clouds.
 * The range is cut into 4 quarters: the first two hold the private (node and
 * pod) subnets, which need the most addresses; the third the database
 * subnets; the fourth the public subnets, which only hold load balancers and
 * NAT. Each quarter is cut into 4 blocks: zones take the first three, and the
 * last public block is kept for the VPN gateway (see planGatewaySubnet).
 */
export function planZoneSubnets(networkCidr: string, zones: number): ZoneSubnets[] {
  const check = checkNetwork(networkCidr);
  check.require(Number.isInteger(zones) && zones >= 1 && zones <= 3, "zones", zones, "must be 1 to 3");
  check.throwIfAny(RangeError);
  const parent = parseCidr(networkCidr)!;
  const half = subnet(parent, parent.prefix + 1, 0);
  const databaseQuarter = subnet(parent, parent.prefix + 2, 2);
  const publicQuarter = subnet(parent, parent.prefix + 2, 3);
  return Array.from({ length: zones }, (_, zoneIndex) => ({
    zoneIndex,
    private: formatCidr(subnet(half, half.prefix + 2, zoneIndex)),
    database: formatCidr(subnet(databaseQuarter, databaseQuarter.prefix + 2, zoneIndex)),
    public: formatCidr(subnet(publicQuarter, publicQuarter.prefix + 2, zoneIndex)),
  }));
}

/**
 * The block reserved for a VPN gateway (Azure requires a subnet named
 * GatewaySubnet; AWS and Alibaba attach their gateways to the VPC, and may
 * use it for nothing): the last public block, never given to a zone.
 */
export function planGatewaySubnet(networkCidr: string): string {
  checkNetwork(networkCidr).throwIfAny(RangeError);
  const parent = parseCidr(networkCidr)!;
  const publicQuarter = subnet(parent, parent.prefix + 2, 3);
  return formatCidr(subnet(publicQuarter, publicQuarter.prefix + 2, 3));
}

function checkNetwork(networkCidr: string): ArgumentChecks {
  const check = new ArgumentChecks();
  const problem = cidrProblem(networkCidr);
  if (problem) check.add("networkCidr", networkCidr, problem);
  return check;
}
