import type { InstanceArgs } from "@pulumi/alicloud/rds";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

const connectionLogs = ["log_connections", "log_disconnections"];

export const alicloudRdsAuditing: WarblerResourcePolicy = {
  id: "alicloud-rds-auditing",
  name: "ApsaraDB RDS audits SQL and connections",
  target: "alicloud",
  what:
    "Every ApsaraDB RDS instance should have SQL Explorer (SQL audit) on with at least the configured retention " +
    "(180 days by default), and log connections and disconnections. (Checkov CKV_ALI_25, CKV_ALI_36, CKV_ALI_37, " +
    "CKV_ALI_38; InfraGuard rds-instance-enabled-auditing.)",
  why:
    "The SQL audit shows who read or changed which data; MLPS level 3 requires security audit of the computing " +
    "environment and its retention.",
  fix:
    "Set 'sqlCollectorStatus: \"Enabled\"', 'sqlCollectorConfigValue: 180' or more, and 'parameters' " +
    'log_connections and log_disconnections to "on".',
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.15", "SOC2-CC7.2", "PCI-10.2.1", "PCI-10.5.1", "CIS-ALI-RDS-AUDIT", "MLPS-8.1.4.3"],
  resourceTypes: ["alicloud:rds/instance:Instance"],
  configSchema: {
    properties: {
      minAuditRetentionDays: {
        type: "integer",
        minimum: 30,
        default: 180,
        description: "Fewest days of SQL audit retention.",
      },
    },
  },
  validateResource: forTypes<InstanceArgs>(["alicloud:rds/instance:Instance"], (db, args, report) => {
    const { minAuditRetentionDays } = configOf<{ minAuditRetentionDays: number }>(alicloudRdsAuditing, args);
    if (db.sqlCollectorStatus !== "Enabled")
      report(`sqlCollectorStatus (${JSON.stringify(db.sqlCollectorStatus ?? "Disabled")}) must be "Enabled"`);
    else if ((db.sqlCollectorConfigValue ?? 30) < minAuditRetentionDays)
      report(
        `sqlCollectorConfigValue (${db.sqlCollectorConfigValue ?? 30}) must be at least ${minAuditRetentionDays} days`,
      );
    const params = new Map((db.parameters ?? []).map((p) => [p.name, String(p.value).toLowerCase()]));
    const off = connectionLogs.filter((n) => params.get(n) !== "on");
    if (off.length > 0) report(`parameters ${off.join(", ")} must be "on"`);
  }),
};
