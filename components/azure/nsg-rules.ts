import type { ZoneSubnets } from "../../lib/cidr";

/** One NSG rule, in the field names of azure-native's SecurityRule. */
export interface NsgRule {
  name: string;
  priority: number;
  direction: "Inbound";
  access: "Allow" | "Deny";
  protocol: "Tcp" | "Udp" | "*";
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  sourcePortRange: "*";
  destinationAddressPrefix: string;
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

/**
 * Internet ports the IM platform publishes through its LoadBalancer Services.
 * Azure's load balancer passes the client address through, so a subnet NSG
 * must allow these from Internet or the default DenyAllInBound drops them
 * (AKS manages only its own NSG, not the one on a bring-your-own subnet).
 * Nodes have no public IPs: these ports are reachable only where a load
 * balancer rule forwards them. The chart must publish nothing else.
 */
export const publishedPorts = {
  /** ingress-nginx (HTTP-01, HTTPS), XMPP client (STARTTLS, direct TLS), XMPP server, TURN over TCP/TLS. */
  tcp: ["80", "443", "5222", "5223", "5269", "3478", "5349"],
  /** TURN/STUN and the TURN relay range (ejabberd's default). */
  udp: ["3478", "49152-65535"],
} as const;

const PG_PORT = "5432";

/** Node subnets: published ports from Internet; in-VNet traffic keeps Azure's default rules. */
export function privateSubnetRules(): NsgRule[] {
  return [
    rule(
      "allow-published-tcp",
      100,
      "Allow",
      "Tcp",
      { sourceAddressPrefix: "Internet" },
      { destinationPortRanges: [...publishedPorts.tcp] },
    ),
    rule(
      "allow-published-udp",
      110,
      "Allow",
      "Udp",
      { sourceAddressPrefix: "Internet" },
      { destinationPortRanges: [...publishedPorts.udp] },
    ),
  ];
}

/**
 * Database subnets: PostgreSQL from the node subnets, anything between the
 * database subnets (HA replication between primary and standby), and no
 * other traffic from inside the VNet.
 */
export function databaseSubnetRules(zones: ZoneSubnets[]): NsgRule[] {
  return [
    rule(
      "allow-postgres-from-nodes",
      100,
      "Allow",
      "Tcp",
      { sourceAddressPrefixes: zones.map((z) => z.private) },
      { destinationPortRange: PG_PORT },
    ),
    rule(
      "allow-database-peers",
      110,
      "Allow",
      "*",
      { sourceAddressPrefixes: zones.map((z) => z.database) },
      { destinationPortRange: "*" },
    ),
    rule(
      "deny-other-vnet",
      4000,
      "Deny",
      "*",
      { sourceAddressPrefix: "VirtualNetwork" },
      { destinationPortRange: "*" },
    ),
  ];
}

/** Public subnets hold load balancer frontends only: the same published ports. */
export function publicSubnetRules(): NsgRule[] {
  return privateSubnetRules();
}

function rule(
  name: string,
  priority: number,
  access: NsgRule["access"],
  protocol: NsgRule["protocol"],
  source: Pick<NsgRule, "sourceAddressPrefix" | "sourceAddressPrefixes">,
  ports: Pick<NsgRule, "destinationPortRange" | "destinationPortRanges">,
): NsgRule {
  return {
    name,
    priority,
    direction: "Inbound",
    access,
    protocol,
    sourcePortRange: "*",
    destinationAddressPrefix: "VirtualNetwork",
    ...source,
    ...ports,
  };
}
