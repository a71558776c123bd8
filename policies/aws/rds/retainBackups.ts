import type { InstanceArgs } from "@pulumi/aws/rds";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsRdsBackupRetention: WarblerResourcePolicy = {
  id: "aws-rds-backup-retention",
  name: "RDS keeps automated backups long enough",
  target: "aws",
  what: "Every RDS instance must keep automated backups for at least the configured number of days (7 by default).",
  why: "Backups are the last line of defence against deletion, corruption and ransomware; a short retention may expire the last good copy before a problem is noticed.",
  fix: "Set 'warbler:database.backupRetentionDays' (it becomes 'backupRetentionPeriod') to at least the minimum, or lower this policy's 'minRetentionDays' if your recovery objectives allow.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.13", "SOC2-A1.2", "PCI-12.10.1", "GDPR-32", "MLPS-8.1.4.9"],
  resourceTypes: ["aws:rds/instance:Instance"],
  configSchema: {
    properties: { minRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups." } },
  },
  validateResource: forTypes<InstanceArgs>(["aws:rds/instance:Instance"], (db, args, report) => {
    const { minRetentionDays } = configOf<{ minRetentionDays: number }>(awsRdsBackupRetention, args);
    // RDS keeps one day of backups when the retention is left unset.
    const days = db.backupRetentionPeriod ?? 1;
    if (days < minRetentionDays) report(`backupRetentionPeriod (${days}) must be at least ${minRetentionDays} days`);
  }),
};
