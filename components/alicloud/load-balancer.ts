import type { LoadBalancerAnnotations } from "../contract";

/** How client addresses and idle flows fare on this cloud's TCP load balancer (the contract's meaning). */
const clientPath = {
  clientAddress: "source",
  externalTrafficPolicy: "Local",
  tcpIdleTimeoutSeconds: 900,
} as const;

/**
 * Service annotations that put a LoadBalancer Service on an Alibaba Cloud
 * Classic Load Balancer (CLB) through ACK's cloud controller manager. CLB
 * rather than NLB: NLB needs `spec.loadBalancerClass` and vSwitch ids, which
 * the contract's annotation maps cannot carry, while CLB takes TCP and UDP
 * listeners from annotations alone.
 */
const prefix = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer";

function common(zones: readonly string[]): Record<string, string> {
  return {
    [`${prefix}-address-type`]: "internet",
    // Pay per capacity unit: no fixed specification that caps connection counts.
    [`${prefix}-instance-charge-type`]: "PayByCLCU",
    // Primary and standby in two zones, so one zone's outage keeps the IM endpoint up.
    [`${prefix}-master-zoneid`]: zones[0],
    [`${prefix}-slave-zoneid`]: zones[1] ?? zones[0],
    [`${prefix}-delete-protection`]: "on",
    [`${prefix}-modification-protection`]: "ConsoleProtection",
  };
}

/**
 * TCP services (ingress, XMPP client and server ports) get TCP health checks;
 * UDP services (TURN) keep CLB's default, UDP probes.
 */
export function loadBalancerAnnotations(zones: readonly string[]): LoadBalancerAnnotations {
  return {
    tcpAnnotations: { ...common(zones), [`${prefix}-health-check-type`]: "tcp" },
    udpAnnotations: common(zones),
    ...clientPath,
  };
}
