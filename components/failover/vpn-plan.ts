import { ArgumentChecks } from "../../lib/check";
import { cidrProblem, overlaps, parseCidr } from "../../lib/cidr";

/** The two ends of a site-to-site link, as the link components take them. */
export interface LinkEnds {
  /** This stack's network range. */
  localCidr: string;
  /** The peer's network range, routed over the tunnel. */
  peerCidr: string;
  /** Public IP of the peer's VPN gateway; undefined until the peer is deployed. */
  peerGatewayIp?: string;
}

/** Every problem with a link's ranges, recorded in `check` (a new one if none is given) and returned. */
export function linkProblems(ends: LinkEnds, check = new ArgumentChecks()): readonly string[] {
  const local = parseCidr(ends.localCidr);
  const peer = parseCidr(ends.peerCidr);
  if (!local) check.add("network.cidr", ends.localCidr, cidrProblem(ends.localCidr) ?? "must be an IPv4 CIDR");
  if (!peer) check.add("failover.peer.cidr", ends.peerCidr, cidrProblem(ends.peerCidr) ?? "must be an IPv4 CIDR");
  if (local && peer && overlaps(local, peer)) {
    const overlap = `overlaps 'network.cidr' (${JSON.stringify(ends.localCidr)}); routed networks must not overlap`;
    check.add("failover.peer.cidr", ends.peerCidr, overlap);
  }
  return check.problems;
}

/**
 * IPsec pre-shared key rules every cloud accepts: AWS allows 8-64
 * letters, digits, '.' and '_' and no leading 0; Azure and Alibaba accept
 * that subset. Letters only: a random password cannot be told which
 * character comes first, and with digits about 1 key in 62 would start
 * with 0 (48 letters still carry over 270 bits).
 */
export const presharedKeySpec = { length: 48, special: false, numeric: false, upper: true, lower: true } as const;

/**
 * The one IPsec proposal every end of every link offers, so any pair of
 * clouds agrees and nothing weaker is accepted: IKEv2, AES-256, SHA-256,
 * Diffie-Hellman group 14 (2048-bit MODP, the strongest group all three
 * clouds share) in both phases, with PFS.
 */
export const ipsecSuite = {
  encryption: "AES256",
  integrity: "SHA256",
  dhGroup: 14,
  /** Seconds before IKE (phase 1) rekeys. */
  ikeLifetimeSeconds: 28800,
  /** Seconds before the IPsec SA (phase 2) rekeys. */
  ipsecLifetimeSeconds: 3600,
} as const;
