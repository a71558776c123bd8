import type { ManagedKubernetesArgs } from "@pulumi/alicloud/cs";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const alicloudAckAuditLogging: WarblerResourcePolicy = {
  id: "alicloud-ack-audit-logging",
  name: "ACK control-plane audit logs are on",
  target: "alicloud",
  what:
    "Every ACK managed cluster must send API server audit logs to Simple Log Service, and collect the apiserver " +
    "control-plane log component. (InfraGuard ack-cluster-log-plugin-installed.)",
  why:
    "The audit log is the only record of who read a secret, changed a deployment or opened a shell in a pod; " +
    "MLPS level 3 requires security audit of the computing environment.",
  fix:
    "Set 'auditLogConfig: { enabled: true }' and include \"apiserver\" in 'controlPlaneLogComponents' (the " +
    "Warbler Alibaba kit does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.15", "ISO27001-A.8.16", "SOC2-CC7.2", "PCI-10.2.1", "CIS-ALI-ACK-LOGGING", "MLPS-8.1.4.3"],
  resourceTypes: ["alicloud:cs/managedKubernetes:ManagedKubernetes"],
  validateResource: forTypes<ManagedKubernetesArgs>(
    ["alicloud:cs/managedKubernetes:ManagedKubernetes"],
    (c, _args, report) => {
      if (c.auditLogConfig?.enabled !== true) report("auditLogConfig.enabled is not true");
      if (!(c.controlPlaneLogComponents ?? []).includes("apiserver"))
        report('controlPlaneLogComponents does not include "apiserver"');
    },
  ),
};
