import { linkedBackupRetentionPolicy } from "../../common/backupRetention";

export const alicloudRdsBackupRetention = linkedBackupRetentionPolicy({
  id: "alicloud-rds-backup-retention",
  name: "ApsaraDB RDS keeps backups long enough",
  target: "alicloud",
  what:
    "Every ApsaraDB RDS instance must keep data backups for at least the configured number of days (7 by " +
    "default), through a backup policy in the stack or the service default of 7 days, with log backups on. " +
    "(InfraGuard rds-instance-enabled-log-backup.)",
  why:
    "Backups are the last line of defence against deletion, corruption and ransomware; log backups allow " +
    "recovery to a point in time.",
  fix:
    "Create an 'alicloud.rds.BackupPolicy' for the instance with 'backupRetentionPeriod' at least the minimum " +
    "and 'enableBackupLog: true' (the Warbler Alibaba kit does this from " +
    "'warbler:database.backupRetentionDays').",
  retention: { maximum: 730, description: "Fewest days of data backups." },
  type: "alicloud:rds/instance:Instance",
  kind: "ApsaraDB RDS instance",
  backupType: "alicloud:rds/backupPolicy:BackupPolicy",
  databaseRef: "instanceId",
  // ApsaraDB keeps 7 days of data backups when no backup policy says otherwise.
  days: (backup) => Number(backup?.backupRetentionPeriod ?? backup?.retentionPeriod ?? 7),
  switches: [{ setting: "enableBackupLog", value: (backup) => backup.enableBackupLog, safe: true, unset: true }],
});
