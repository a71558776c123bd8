import type { LoadBalancerAnnotations } from "../contract";

/**
 * How client addresses and idle flows fare on this cloud's TCP load balancer (the contract's meaning):
 * - `source`: CLB's layer-4 listeners hand the backend the client's own source address, no PROXY header needed; and
 *   with `backend-type: eni` (below) the backends are the pods' Terway ENI addresses, so no kube-proxy SNAT hop can
 *   replace it ("mount pods in Terway mode to the backend of an SLB instance", ACK cloud-controller-manager release
 *   notes; cloud-provider-alibaba-cloud `BACKEND_TYPE_ENI`).
 * - `Local`: still asked of every Service, so the path holds even where a Service falls back to node backends (the
 *   CCM then weights nodes by their pods).
 * - 900 s: the longest a CLB TCP listener keeps an idle established connection ("Valid values: [10, 900]",
 *   annotation `established-timeout`, ACK "Use annotations to configure CLB instances"; CreateLoadBalancerTCPListener
 *   `EstablishedTimeout`), set explicitly below rather than trusting a default.
 */
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
 * listeners from annotations alone, and CLB's TCP idle timeout (900 s) is
 * above every keepalive the IM platform sends.
 */
const prefix = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer";

/** Pods, not nodes, behind the listeners: Terway gives them VPC addresses (cluster.ts). */
export const backendTypeAnnotation = { "service.beta.kubernetes.io/backend-type": "eni" } as const;

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
    ...backendTypeAnnotation,
  };
}

/**
 * TCP services (ingress, XMPP client and server ports) get TCP health checks;
 * UDP services (TURN) keep CLB's default, UDP probes.
 */
export function loadBalancerAnnotations(zones: readonly string[]): LoadBalancerAnnotations {
  return {
    tcpAnnotations: {
      ...common(zones),
      [`${prefix}-health-check-type`]: "tcp",
      [`${prefix}-established-timeout`]: String(clientPath.tcpIdleTimeoutSeconds),
    },
    udpAnnotations: common(zones),
    ...clientPath,
  };
}
