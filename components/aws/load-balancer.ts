import type { LoadBalancerAnnotations } from "../contract";

/** How client addresses and idle flows fare on this cloud's TCP load balancer (the contract's meaning). */
const clientPath = {
  clientAddress: "source",
  externalTrafficPolicy: "Local",
  tcpIdleTimeoutSeconds: 350,
} as const;

/**
 * Service annotations for the AWS Load Balancer Controller: an internet-facing
 * NLB that sends traffic straight to pod IPs (no second hop through a
 * NodePort, and clients' source addresses reach ejabberd).
 */
const nlbAnnotations: Record<string, string> = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "external",
  "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
};

/** The same NLB settings serve TCP and UDP: the controller opens listeners per Service port and protocol. */
export function loadBalancerAnnotations(): LoadBalancerAnnotations {
  return { tcpAnnotations: nlbAnnotations, udpAnnotations: nlbAnnotations, ...clientPath };
}
