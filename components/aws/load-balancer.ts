import { defaultPorts } from "../../charts/im/ejabberd-spec";
import { imPorts } from "../../charts/im/props";
import type { LoadBalancerAnnotations } from "../contract";

/**
 * NLB TCP idle timeout, seconds: the default 350 s would cut an idle XMPP or WebSocket session whose client pings
 * less often; 3600 is far above ejabberd's 60 s ping and within the 60-6000 the listener attribute accepts
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ListenerAttribute.html).
 */
export const NLB_TCP_IDLE_TIMEOUT_SECONDS = 3600;

/** How client addresses and idle flows fare on this cloud's TCP load balancer (the contract's meaning). */
const clientPath = {
  clientAddress: "source",
  externalTrafficPolicy: "Local",
  tcpIdleTimeoutSeconds: NLB_TCP_IDLE_TIMEOUT_SECONDS,
} as const;

/**
 * The TCP ports the IM load balancers listen on: the edge (80, 443), XMPP clients (5222, 5223) and TURN over TCP/TLS
 * (443). The controller reads a listener attribute from the annotation named after that listener's protocol and
 * port, and ignores the others.
 */
export const NLB_TCP_LISTENER_PORTS = [
  ...new Set([80, 443, defaultPorts.c2s, defaultPorts.c2sTls, imPorts.turnStream]),
];

const prefix = "service.beta.kubernetes.io/aws-load-balancer";

/**
 * The per-listener idle timeout (`aws-load-balancer-listener-attributes.TCP-<port>`, AWS Load Balancer Controller
 * v2.9.0 and later; chart 1.13.4, pinned in controllers.ts, ships v2.13).
 */
function idleTimeoutAnnotations(): Record<string, string> {
  return Object.fromEntries(
    NLB_TCP_LISTENER_PORTS.map((port) => [
      `${prefix}-listener-attributes.TCP-${port}`,
      `tcp.idle_timeout.seconds=${NLB_TCP_IDLE_TIMEOUT_SECONDS}`,
    ]),
  );
}

/**
 * Service annotations for the AWS Load Balancer Controller: an internet-facing
 * NLB that sends traffic straight to pod IPs (no second hop through a
 * NodePort). IP targets over TCP do not keep the client's address unless
 * `preserve_client_ip.enabled` is set (its default is false for IP targets,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html,
 * "Client IP preservation");
 * with it, ejabberd and the edge see the client as the packets' source, and the
 * NLB keeps no per-target limit of about 55,000 connections through its own
 * addresses. UDP target groups always keep it.
 */
const nlbAnnotations: Record<string, string> = {
  [`${prefix}-type`]: "external",
  [`${prefix}-nlb-target-type`]: "ip",
  [`${prefix}-scheme`]: "internet-facing",
  [`${prefix}-target-group-attributes`]: "preserve_client_ip.enabled=true",
  ...idleTimeoutAnnotations(),
};

/** The same NLB settings serve TCP and UDP: the controller opens listeners per Service port and protocol. */
export function loadBalancerAnnotations(): LoadBalancerAnnotations {
  return { tcpAnnotations: nlbAnnotations, udpAnnotations: nlbAnnotations, ...clientPath };
}
