import { isAnywhere } from "../props";

/**
 * The ports the IM platform serves to the internet: HTTP(S), XMPP client (5222, 5223 TLS) and server (5269), STUN/TURN
 * (3478, 5349 TLS).
 */
export const defaultPublicPorts = [80, 443, 3478, 5222, 5223, 5269, 5349];

/** One ingress rule in cloud-neutral form; protocol "-1" means all protocols. */
export interface IngressRule {
  from: number;
  to: number;
  protocol: string;
  cidrs: string[];
}

/** Why a rule exposes more than the allowed ports to the internet, or undefined when it does not. */
export function openToInternet(rule: IngressRule, allowedPorts: readonly number[]): string | undefined {
  const open = rule.cidrs.filter(isAnywhere);
  if (open.length === 0) return undefined;
  const allPorts =
    rule.protocol === "-1" || rule.protocol.toLowerCase() === "all" || (rule.from <= 0 && rule.to >= 65535);
  if (allPorts) return `all ports are open to ${open.join(", ")}`;
  const blocked = [];
  for (let port = rule.from; port <= rule.to && blocked.length === 0; port++)
    if (!allowedPorts.includes(port)) blocked.push(port);
  if (blocked.length === 0) return undefined;
  const ports = rule.from === rule.to ? `port ${rule.from}` : `port range ${rule.from}-${rule.to}`;
  return `${ports} is open to ${open.join(", ")}; only ${allowedPorts.join(", ")} may be`;
}
