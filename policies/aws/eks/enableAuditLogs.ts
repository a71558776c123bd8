import type { ClusterArgs } from "@pulumi/aws/eks";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

const required = ["api", "audit", "authenticator"];

export const awsEksAuditLogging: WarblerResourcePolicy = {
  id: "aws-eks-audit-logging",
  name: "EKS control-plane audit logs are on",
  target: "aws",
  what: "Every EKS cluster must send its API, audit and authenticator control-plane logs to CloudWatch Logs.",
  why:
    "The audit log is the only record of who read a secret, changed a deployment or opened a shell in a pod. " +
    "Without it, incidents cannot be investigated and audit-trail requirements are not met.",
  fix:
    'Set \'enabledClusterLogTypes\' to include "api", "audit" and "authenticator" (the Warbler AWS kit enables ' +
    "all five types).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.15", "ISO27001-A.8.16", "SOC2-CC7.2", "PCI-10.2.1", "CIS-EKS-AUDIT-LOGS", "MLPS-8.1.4.3"],
  resourceTypes: ["aws:eks/cluster:Cluster"],
  validateResource: forTypes<ClusterArgs>(["aws:eks/cluster:Cluster"], (cluster, _args, report) => {
    const missing = required.filter((t) => !(cluster.enabledClusterLogTypes ?? []).includes(t));
    if (missing.length > 0) report(`enabledClusterLogTypes is missing ${missing.join(", ")}`);
  }),
};
