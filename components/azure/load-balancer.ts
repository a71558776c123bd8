import type { LoadBalancerAnnotations } from "../contract";

/**
 * The whole minutes the AKS cloud provider's idle-timeout annotation accepts: 4 to 100, and without it a rule keeps
 * Azure's 4 minutes. The load balancer allows 4 to 100 (https://learn.microsoft.com/en-us/azure/load-balancer/
 * load-balancer-tcp-idle-timeout); the cloud provider capped the annotation at 30 until it was raised to match
 * (kubernetes-sigs/cloud-provider-azure#4360, #4361, in every release since 1.25).
 */
export const idleTimeoutMinutes = { min: 4, max: 100 } as const;

/**
 * The idle timeout the kit asks for. It must exceed the longest silence of a live session, ejabberd's ping interval
 * plus the client's time to answer (config/im.ts `keepaliveSilenceSeconds`, 92 s), or the load balancer drops idle but
 * live sessions; 30 minutes leaves room for clients that ping less often than ejabberd does, while a vanished client's
 * flow, which counts against the node's flow limit (`vmInboundFlows`), goes after half an hour, not a hundred minutes.
 */
export const tcpIdleTimeoutMinutes = 30;

/**
 * Inbound flows one Azure VM keeps: it handles "500k active connections for all VM sizes with 500k active flows in
 * each direction" (https://learn.microsoft.com/en-us/azure/virtual-network/virtual-machine-network-throughput, "Flow
 * limits and active connections recommendations"). Every client session is one inbound connection to the node of its
 * ejabberd instance: straight from the load balancer for XMPP (externalTrafficPolicy Local, one instance per node), or
 * from an Envoy pod on another node for WebSocket. The Standard load balancer is a layer-4 pass-through that "scales
 * up to millions of flows" (https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-overview), and its
 * published limits count rules, frontends and backend instances, not connections
 * (https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/azure-subscription-service-limits,
 * "Load Balancer"), so the VM's limit binds first.
 */
export const vmInboundFlows = 500_000;

/**
 * How client addresses and idle flows fare on this cloud's TCP load balancer (the contract's meaning). The AKS
 * load balancer's rules use floating IP with the Service port as the backend port (same source), so no proxy header
 * is added; with externalTrafficPolicy Local the node delivers to a local pod without SNAT, and the pod sees the
 * client's address, while with Cluster it sees a node's (https://learn.microsoft.com/en-us/azure/aks/
 * load-balancer-standard, "Maintain the client's IP on inbound connections").
 */
const clientPath = {
  clientAddress: "source",
  externalTrafficPolicy: "Local",
  tcpIdleTimeoutSeconds: tcpIdleTimeoutMinutes * 60,
} as const;

/**
 * Service annotations for the AKS cloud provider's Standard load balancer.
 * The public IPs AKS creates for LoadBalancer Services carry the stack's tags
 * too, as every other resource of the kit does. The TURN Service gets the idle
 * timeout as well: the cloud provider sets it on every rule of the Service,
 * its TURN-over-TCP port among them.
 */
export function loadBalancerAnnotations(tags: Record<string, string>): LoadBalancerAnnotations {
  const pipTags = Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const common = {
    "service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout": String(clientPath.tcpIdleTimeoutSeconds / 60),
    "service.beta.kubernetes.io/azure-pip-tags": pipTags,
  };
  return { tcpAnnotations: common, udpAnnotations: { ...common }, ...clientPath };
}
