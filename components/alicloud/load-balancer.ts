import * as pulumi from "@pulumi/pulumi";
import type { ImClientLoadBalancer, LoadBalancerAnnotations } from "../contract";

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
 * for the edge and TURN: it takes TCP and UDP listeners from annotations
 * alone, and its TCP idle timeout (900 s) is above every keepalive the IM
 * platform sends. The ejabberd client Service is always on an NLB (`imClientLoadBalancer`).
 */
const prefix = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer";

/** Pods, not nodes, behind the listeners: Terway gives them VPC addresses (cluster.ts). */
export const backendTypeAnnotation = { "service.beta.kubernetes.io/backend-type": "eni" } as const;

function common(zones: readonly string[]): Record<string, string> {
  return {
    [`${prefix}-address-type`]: "internet",
    // Pay per capacity unit (pay-by-specification CLBs are no longer sold); still capped at CLB_MAX_CONNECTIONS.
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

/**
 * Concurrent connections one CLB holds at most: its largest specification, Super Large I (slb.s3.large), holds
 * 1,000,000 ("Maximum number of connections", FAQ about CLB instances, https://www.alibabacloud.com/help/doc-detail/
 * 85939.htm); pay-by-LCU instances, the only ones sold since June 2025, scale up to those limits
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/user-guide/faq-about-clb-2).
 */
export const CLB_MAX_CONNECTIONS = 1_000_000;

/**
 * Concurrent connections one NLB holds at most: "An NLB instance supports up to 100 million concurrent connections"
 * (What is NLB?, https://www.alibabacloud.com/help/en/slb/network-load-balancer/product-overview/what-is-nlb).
 */
export const NLB_MAX_CONNECTIONS = 100_000_000;

/** ACK's cloud controller creates an NLB, not a CLB, for a Service of this class (CCM 2.5.0 or later). */
export const nlbLoadBalancerClass = "alibabacloud.com/nlb";

/**
 * The NLB's zones and the vSwitch of each, as its `zone-maps` annotation takes them ("cn-hangzhou-k:vsw-...,
 * cn-hangzhou-j:vsw-..."; at least two zones: ACK "Configure NLB instances by using annotations",
 * https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/
 * configure-nlb-instances-by-using-annotations).
 */
export function zoneMaps(zones: readonly string[], vswitchIds: readonly string[]): string {
  if (zones.length < 2 || zones.length !== vswitchIds.length)
    throw new RangeError(
      `an NLB needs one vSwitch in each of at least two zones; got zones [${zones.join(", ")}] and ` +
        `${vswitchIds.length} vSwitches`,
    );
  return zones.map((zone, i) => `${zone}:${vswitchIds[i]}`).join(",");
}

/**
 * The ejabberd client Service's NLB (annotation names: cloud-provider-alibaba-cloud
 * pkg/controller/service/reconcile/annotation/annotations.go), the same client path as the CLBs (`clientPath`):
 * - `preserve-client-ip: on`: pods see the client's address (the controller compares the value with "on",
 *   nlbv2/server_groups.go `setServerGroupAttributeFromAnno`);
 * - `idle-timeout: 900`: the longest NLB allows ("Valid values: 10 to 900"), above every keepalive;
 * - pods behind it as ENI backends (`backend-type: eni`), in the public vSwitches with the other load balancers;
 * - deletion and console-modification protection, as on the CLBs.
 */
export function nlbClientAnnotations(
  zones: readonly string[],
  publicVswitchIds: readonly pulumi.Input<string>[],
): Record<string, pulumi.Output<string> | string> {
  return {
    [`${prefix}-zone-maps`]: pulumi.all([...publicVswitchIds]).apply((ids) => zoneMaps(zones, ids)),
    [`${prefix}-address-type`]: "internet",
    [`${prefix}-preserve-client-ip`]: "on",
    [`${prefix}-idle-timeout`]: String(clientPath.tcpIdleTimeoutSeconds),
    [`${prefix}-delete-protection`]: "on",
    [`${prefix}-modification-protection`]: "ConsoleProtection",
    ...backendTypeAnnotation,
  };
}

/**
 * The ejabberd client Service's own load balancer: always an NLB. One CLB holds at most `CLB_MAX_CONNECTIONS`, which
 * one instance of the default sizing reaches alone, and a Service cannot move between the two later: ACK refuses to
 * change `spec.loadBalancerClass` ("immutable", "CLB and NLB instances cannot be converted to each other", ACK
 * "Configure NLB instances by using annotations"), so a CLB chosen for a small platform would block its growth.
 */
export function imClientLoadBalancer(
  zones: readonly string[],
  publicVswitchIds: readonly pulumi.Input<string>[],
): ImClientLoadBalancer {
  return { loadBalancerClass: nlbLoadBalancerClass, annotations: nlbClientAnnotations(zones, publicVswitchIds) };
}
