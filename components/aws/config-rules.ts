import { turnRelayPortsIssue } from "../../config/im";
import { type ConfigIssue, foreignKeyIssue } from "../../config/load";
import { NAMESPACE } from "../../config/namespace";
import type { PartialPlatformConfig } from "../../config/schema";
import { IAM_PRINCIPAL_ARN } from "./cluster";

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
  const caBundleIssue = foreignKeyIssue(
    "database.caBundle",
    config.database?.caBundle,
    "is for alicloud only: the aws kit ships its database CA bundle itself",
  );
  if (caBundleIssue) issues.push(caBundleIssue);
  const relayIssue = turnRelayPortsIssue(
    config.im,
    "aws",
    AWS_TURN_RELAY_MAX_PORTS,
    "an NLB has at most 50 listeners, not adjustable, and the TURN NLB also listens on 3478/UDP and 443/TCP",
  );
  if (relayIssue) issues.push(relayIssue);
  const principals = config.cluster?.adminPrincipals;
  (Array.isArray(principals) ? principals : []).forEach((arn, i) => {
    if (typeof arn !== "string" || !IAM_PRINCIPAL_ARN.test(arn))
      issues.push({
        key: `${NAMESPACE}:cluster.adminPrincipals[${i}]`,
        value: arn,
        message:
          "must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>); EKS access entries take no STS " +
          "session ARN",
      });
  });
  return issues;
}
