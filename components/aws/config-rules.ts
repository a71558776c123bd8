import { turnRelayPortsIssue } from "../../config/im";
import type { ConfigIssue } from "../../config/load";
import { NAMESPACE } from "../../config/namespace";
import type { PartialPlatformConfig } from "../../config/schema";

/**
 * Relay ports one TURN NLB can carry: "Listeners per Network Load Balancer: 50, not adjustable"
 * (docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html), less the TURN Service's
 * 3478/UDP and 443/TCP listeners.
 */
export const AWS_TURN_RELAY_MAX_PORTS = 48;

/**
 * What the AWS kit cannot build from a config that the cloud-neutral schema
 * accepts. Returns every problem, so one run reports them all; it also runs
 * when other keys failed, hence the defensive reads.
 */
export function awsConfigIssues(config: PartialPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const caBundle = config.database?.caBundle;
  if (caBundle !== undefined) {
    issues.push({
      key: `${NAMESPACE}:database.caBundle`,
      value: caBundle,
      message: "is for alicloud only: the aws kit ships its database CA bundle itself",
    });
  }
  const relayIssue = turnRelayPortsIssue(
    config.im,
    "aws",
    AWS_TURN_RELAY_MAX_PORTS,
    "an NLB has at most 50 listeners, not adjustable, and the TURN NLB also listens on 3478/UDP and 443/TCP",
  );
  if (relayIssue) issues.push(relayIssue);
  return issues;
}
