import type { InstanceArgs } from "@pulumi/aws/rds";
import { backupRetentionPolicy } from "../../common/backupRetention";

export const awsRdsBackupRetention = backupRetentionPolicy<InstanceArgs>({
  id: "aws-rds-backup-retention",
  name: "RDS keeps automated backups long enough",
  target: "aws",
  what: "Every RDS instance must keep automated backups for at least the configured number of days (7 by default).",
  why:
    "Backups are the last line of defence against deletion, corruption and ransomware; a short retention may " +
    "expire the last good copy before a problem is noticed.",
  fix:
    "Set 'warbler:database.backupRetentionDays' (it becomes 'backupRetentionPeriod') to at least the minimum, " +
    "or lower this policy's 'minRetentionDays' if your recovery objectives allow.",
  retention: { maximum: 35, description: "Fewest days of automated backups." },
  type: "aws:rds/instance:Instance",
  setting: "backupRetentionPeriod",
  // RDS keeps one day of backups when the retention is left unset.
  days: (db) => db.backupRetentionPeriod ?? 1,
});
