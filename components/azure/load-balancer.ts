import type { LoadBalancerAnnotations } from "../contract";

/**
 * The AKS cloud provider's idle-timeout annotation takes whole minutes from 4 to 30, and without it a rule keeps
 * Azure's 4 minutes (kubernetes-sigs/cloud-provider-azure pkg/provider/azure_loadbalancer.go,
 * getExpectedLoadBalancingRulePropertiesForPort: `min = 4, max = 30`, default 4). The load balancer itself allows up
 * to 100 (https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-tcp-idle-timeout), but the annotation
 * is the only way to set it on rules AKS owns.
 */
export const idleTimeoutMinutes = { min: 4, max: 30 } as const;

/**
 * How client addresses and idle flows fare on this cloud's TCP load balancer (the contract's meaning). The AKS
 * load balancer's rules use floating IP with the Service port as the backend port (same source), so no proxy header
 * is added; with externalTrafficPolicy Local the node delivers to a local pod without SNAT, and the pod sees the
 * client's address, while with Cluster it sees a node's (https://learn.microsoft.com/en-us/azure/aks/
 * load-balancer-standard, "Maintain the client's IP on inbound connections"). XMPP sessions sit idle far longer
 * than Azure's 4-minute default: the annotation's maximum.
 */
const clientPath = {
  clientAddress: "source",
  externalTrafficPolicy: "Local",
  tcpIdleTimeoutSeconds: idleTimeoutMinutes.max * 60,
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
