import { defaultPorts } from "../../charts/im/ejabberd-spec";
import { imPorts } from "../../charts/im/props";
import type { ZoneSubnets } from "../../lib/cidr";

/** One NSG rule, in the field names of azure-native's SecurityRule. */
export interface NsgRule {
  name: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny";
  protocol: "Tcp" | "Udp" | "*";
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  sourcePortRange: "*";
  destinationAddressPrefix?: string;
  destinationAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

/**
 * The ports the IM platform's LoadBalancer Services listen on, as the node sees them. AKS load-balancing rules use
 * floating IP, so a packet reaches the node still addressed to the frontend's public IP and the Service port, not to
 * the node and its NodePort (cloud-provider-azure#1729, Azure/AKS#674): a rule on the node subnet must name
 * destination `*` and exactly these ports.
 */
export interface ListenerPorts {
  /** The edge (80, 443), XMPP clients (5222, 5223), TURN over TCP/TLS (443 on its own address). */
  tcp: number[];
  /** TURN/STUN (3478) and the relay range, or nothing when TURN is off. */
  udp: { from: number; to: number }[];
}

/** HTTP and HTTPS on the edge's LoadBalancer Service (HTTP-01 challenges and the redirect to HTTPS on 80). */
const EDGE_PORTS = [80, 443];

/**
 * The Service ports of the stack's LoadBalancer Services: the edge, XMPP clients, and with TURN (`relay` set) the
 * TURN UDP port, TURN over TCP/TLS (443 on its own address) and the relay range (config im.turnRelayPorts). Service
 * ports, not pod ports: with floating IP the packet keeps the Service port until the node rewrites it.
 */
export function listenerPorts(relay: { from: number; to: number } | undefined): ListenerPorts {
  return {
    tcp: [...EDGE_PORTS, defaultPorts.c2s, defaultPorts.c2sTls, ...(relay ? [imPorts.turnStream] : [])],
    udp: relay ? [{ from: imPorts.turn, to: imPorts.turn }, relay] : [],
  };
}

const PG_PORT = "5432";

const portList = (ports: number[]) => [...new Set(ports)].sort((a, b) => a - b).map(String);
const rangeList = (ranges: ListenerPorts["udp"]) =>
  ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`));

/**
 * Node subnets: the listener ports from Internet, to any destination (the frontend IPs). In-VNet traffic keeps
 * Azure's default AllowVnetInBound, which is also how Prometheus reaches node-exporter on every node.
 */
export function privateSubnetRules(ports: ListenerPorts): NsgRule[] {
  const rules = [
    rule(
      "allow-listeners-tcp",
      100,
      "Allow",
      "Tcp",
      { sourceAddressPrefix: "Internet" },
      portRule(portList(ports.tcp)),
    ),
  ];
  if (ports.udp.length > 0) {
    rules.push(
      rule(
        "allow-listeners-udp",
        110,
        "Allow",
        "Udp",
        { sourceAddressPrefix: "Internet" },
        portRule(rangeList(ports.udp)),
      ),
    );
  }
  return rules;
}

/** Public subnets hold load balancer frontends only: the same listener ports. */
export function publicSubnetRules(ports: ListenerPorts): NsgRule[] {
  return privateSubnetRules(ports);
}

/**
 * Database subnets: PostgreSQL from the node subnets and, when the stack has a failover peer, from and to the peer's
 * range over the VPN (the standby subscribes to the primary, and after a switchover the old primary subscribes back:
 * both directions). Anything between the database subnets (HA replication between primary and standby), and no
 * other traffic from inside the VNet: Azure's VirtualNetwork tag also covers ranges a VPN gateway routes in.
 */
export function databaseSubnetRules(zones: ZoneSubnets[], peerCidr?: string): NsgRule[] {
  const databases = zones.map((z) => z.database);
  const rules = [
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
      { sourceAddressPrefixes: databases },
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
  if (peerCidr) {
    rules.push(
      rule(
        "allow-postgres-from-peer",
        120,
        "Allow",
        "Tcp",
        { sourceAddressPrefix: peerCidr },
        {
          destinationPortRange: PG_PORT,
          destinationAddressPrefixes: databases,
        },
      ),
      {
        ...rule(
          "allow-postgres-to-peer",
          130,
          "Allow",
          "Tcp",
          { sourceAddressPrefixes: databases },
          {
            destinationPortRange: PG_PORT,
            destinationAddressPrefix: peerCidr,
          },
        ),
        direction: "Outbound",
      },
    );
  }
  return rules;
}

/**
 * The API server subnet (API Server VNet Integration puts the API server's internal load balancer there): HTTPS from
 * the node subnets and from the in-network deployers (config cluster.privateAccessCidrs), stated so the NSG names who
 * reaches the API. Azure's default rules stay below them: the docs list no other flows the API server's projected
 * endpoints need, so the kit denies nothing it cannot prove unused (docs/azure.md, not yet verified).
 */
export function apiServerSubnetRules(zones: ZoneSubnets[], privateAccessCidrs: readonly string[]): NsgRule[] {
  return [
    rule(
      "allow-https-from-nodes-and-deployers",
      100,
      "Allow",
      "Tcp",
      { sourceAddressPrefixes: [...zones.map((z) => z.private), ...privateAccessCidrs] },
      { destinationPortRange: "443" },
    ),
  ];
}

function portRule(ports: string[]): Pick<NsgRule, "destinationPortRange" | "destinationPortRanges"> {
  return ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: ports };
}

function rule(
  name: string,
  priority: number,
  access: NsgRule["access"],
  protocol: NsgRule["protocol"],
  source: Pick<NsgRule, "sourceAddressPrefix" | "sourceAddressPrefixes">,
  destination: Pick<
    NsgRule,
    "destinationPortRange" | "destinationPortRanges" | "destinationAddressPrefix" | "destinationAddressPrefixes"
  >,
): NsgRule {
  const address =
    destination.destinationAddressPrefix || destination.destinationAddressPrefixes
      ? {}
      : { destinationAddressPrefix: "*" };
  return {
    name,
    priority,
    direction: "Inbound",
    access,
    protocol,
    sourcePortRange: "*",
    ...address,
    ...source,
    ...destination,
  };
}
