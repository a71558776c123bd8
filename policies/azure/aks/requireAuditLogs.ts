import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

interface LogSetting {
  category?: string;
  categoryGroup?: string;
  enabled?: boolean;
}

const auditCategories = ["kube-audit", "kube-audit-admin"];
const auditGroups = ["audit", "alllogs"];

export const azureAksAuditLogs: WarblerStackPolicy = {
  id: "azure-aks-audit-logging",
  name: "AKS control-plane audit logs are collected",
  target: "azure",
  what:
    "Every AKS cluster must have a diagnostic setting that sends its 'kube-audit' or 'kube-audit-admin' logs " +
    "(or the 'audit' / 'allLogs' category group) to a Log Analytics workspace or storage account.",
  why:
    "The audit log is the only record of who read a secret, changed a deployment or opened a shell in a pod. " +
    "AKS keeps none unless a diagnostic setting collects it.",
  fix:
    "Create an 'azure-native:monitor:DiagnosticSetting' with 'resourceUri' set to the cluster id and a log " +
    'entry { category: "kube-audit-admin", enabled: true } (the Warbler Azure kit does this).',
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.15",
    "ISO27001-A.8.16",
    "SOC2-CC7.2",
    "PCI-10.2.1",
    "CIS-AKS-AUDIT-LOGS",
    "CIS-AZ-DIAGNOSTICS",
    "MLPS-8.1.4.3",
  ],
  resourceTypes: ["azure-native:containerservice:ManagedCluster", "azure-native:monitor:DiagnosticSetting"],
  validateStack: (args, report) => {
    const clusters = args.resources.filter((r) => r.type === "azure-native:containerservice:ManagedCluster");
    if (clusters.length === 0) args.notApplicable("the stack has no AKS cluster");
    const settings = args.resources.filter((r) => r.type === "azure-native:monitor:DiagnosticSetting");
    for (const cluster of clusters) {
      const collects = settings.some(
        (s) =>
          refersTo(s, "resourceUri", cluster) &&
          ((s.props.logs ?? []) as LogSetting[]).some(
            (l) =>
              l.enabled !== false &&
              (auditCategories.includes(String(l.category)) ||
                auditGroups.includes(String(l.categoryGroup).toLowerCase())),
          ),
      );
      if (!collects)
        report(`AKS cluster '${cluster.name}' has no diagnostic setting collecting kube-audit logs`, cluster.urn);
    }
  },
};
