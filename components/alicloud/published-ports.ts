import { defaultPorts } from "../../charts/im/ejabberd-spec";
import { imPorts } from "../../charts/im/props";

/** One ingress rule of the node security group, in the provider's spelling (`portRange` "from/to"). */
export interface PublishedRule {
  /** Child name suffix; part of the URN. */
  name: string;
  ipProtocol: "tcp" | "udp";
  portRange: string;
  cidrIp: string;
  description: string;
}

/**
 * Where CLB health checks come from: "100.64.0.0/10 is reserved by Alibaba Cloud ... used for health checks", so a
 * security group must admit it (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/user-guide/
 * health-check-overview).
 */
export const clbHealthCheckCidr = "100.64.0.0/10";

/**
 * Envoy Gateway's proxy listens on a privileged listener port plus 10000 (443 on the Service, 10443 in the pod), so
 * it needs no NET_BIND_SERVICE (envoyproxy/gateway internal/gatewayapi/helpers.go, `wellKnownPortShift`; issue #4981).
 */
export const edgePodPort = 10443;

/**
 * The node security group's rules for client traffic: exactly the pod ports behind the listeners, from anywhere
 * (the CLB's TCP and UDP listeners keep the client's source address, so the group sees clients, not the CLB), and
 * the same ports from the health-check range. ACK adds no rules to a security group the stack supplies
 * (@pulumi/alicloud cs/managedKubernetes.d.ts, `securityGroupId`), and with Terway the CLB's backends are the pods'
 * ENI addresses (load-balancer.ts, backend type `eni`), so these are pod ports, not NodePorts.
 */
export function publishedRules(relay: readonly [number, number] | undefined): PublishedRule[] {
  const tcp: [string, number, number, string][] = [
    ["edge", edgePodPort, edgePodPort, "HTTPS edge (443 on the load balancer)"],
    ["xmpp", defaultPorts.c2s, defaultPorts.c2sTls, "XMPP client STARTTLS and direct TLS"],
  ];
  const udp: [string, number, number, string][] = [];
  if (relay) {
    tcp.push(["turn-stream", imPorts.turnStreamTarget, imPorts.turnStreamTarget, "TURN over TCP/TLS (443 on its CLB)"]);
    udp.push(["turn", imPorts.turn, imPorts.turn, "STUN/TURN"]);
    udp.push(["turn-relay", relay[0], relay[1], "TURN relay range"]);
  }
  const rules = (ipProtocol: "tcp" | "udp", list: [string, number, number, string][]) =>
    list.flatMap(([name, from, to, what]) => [
      { name: `${name}-clients`, ipProtocol, portRange: `${from}/${to}`, cidrIp: "0.0.0.0/0", description: what },
      {
        name: `${name}-health`,
        ipProtocol,
        portRange: `${from}/${to}`,
        cidrIp: clbHealthCheckCidr,
        description: `${what}: CLB health checks`,
      },
    ]);
  return [...rules("tcp", tcp), ...rules("udp", udp)];
}
