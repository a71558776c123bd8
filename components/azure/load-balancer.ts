import type { LoadBalancerAnnotations } from "../contract";

/** How client addresses and idle flows fare on this cloud's TCP load balancer (the contract's meaning). */
const clientPath = {
  clientAddress: "source",
  externalTrafficPolicy: "Local",
  tcpIdleTimeoutSeconds: 1800,
} as const;

/** Idle timeout of the load balancer, in minutes: XMPP sessions sit idle far longer than Azure's 4-minute default. */
const LB_IDLE_MINUTES = "30";

/**
 * Service annotations for the AKS cloud provider's Standard load balancer.
 * The public IPs AKS creates for LoadBalancer Services carry the stack's tags
 * too, as every other resource of the kit does.
 */
export function loadBalancerAnnotations(tags: Record<string, string>): LoadBalancerAnnotations {
  const pipTags = Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return {
    tcpAnnotations: {
      "service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout": LB_IDLE_MINUTES,
      "service.beta.kubernetes.io/azure-pip-tags": pipTags,
    },
    udpAnnotations: { "service.beta.kubernetes.io/azure-pip-tags": pipTags },
    ...clientPath,
  };
}
