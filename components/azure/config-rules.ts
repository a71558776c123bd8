import { turnRelayPortsIssue } from "../../config/im";
import type { ConfigIssue } from "../../config/load";
import { NAMESPACE } from "../../config/namespace";
import type { PartialPlatformConfig } from "../../config/schema";

/**
 * Relay ports the AKS load balancer can carry: a node NIC takes at most 300 load-balancing rules, and each
 * frontend IP:port of a LoadBalancer Service is one of them for every node, so a cluster with one Standard load
 * balancer has at most 300 Service IP:port combinations
 * (kubernetes-sigs.github.io/cloud-provider-azure/topics/multislb).
 * The stack publishes 6 others: ingress 80 and 443, clients 5222 and 5223, TURN 3478/UDP and 443/TCP.
 */
export const AZURE_TURN_RELAY_MAX_PORTS = 294;

/**
 * What the Azure kit cannot build from a config that the cloud-neutral schema
 * accepts. Returns every problem, so one run reports them all; it also runs
 * when other keys failed, hence the defensive reads.
 */
export function azureConfigIssues(config: PartialPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const caBundle = config.database?.caBundle;
  if (caBundle !== undefined) {
    issues.push({
      key: `${NAMESPACE}:database.caBundle`,
      value: caBundle,
      message: "is for alicloud only: the azure kit ships its database CA bundle itself",
    });
  }
  const relayIssue = turnRelayPortsIssue(
    config.im,
    "azure",
    AZURE_TURN_RELAY_MAX_PORTS,
    "a node NIC takes at most 300 load-balancing rules, one per Service IP:port, and the stack publishes 6 other ports",
  );
  if (relayIssue) issues.push(relayIssue);
  return issues;
}
