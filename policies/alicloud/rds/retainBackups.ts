import type { WarblerStackPolicy } from "../../policy";
import { configOf } from "../../policy";
import { refersTo } from "../../props";

const INSTANCE = "alicloud:rds/instance:Instance";
const BACKUP = "alicloud:rds/backupPolicy:BackupPolicy";
/** ApsaraDB keeps 7 days of data backups when no backup policy says otherwise. */
const SERVICE_DEFAULT_DAYS = 7;

export const alicloudRdsBackupRetention: WarblerStackPolicy = {
  id: "alicloud-rds-backup-retention",
  name: "ApsaraDB RDS keeps backups long enough",
  target: "alicloud",
  what: "Every ApsaraDB RDS instance must keep data backups for at least the configured number of days (7 by default), through a backup policy in the stack or the service default of 7 days, with log backups on. (InfraGuard rds-instance-enabled-log-backup.)",
  why: "Backups are the last line of defence against deletion, corruption and ransomware; log backups allow recovery to a point in time.",
  fix: "Create an 'alicloud.rds.BackupPolicy' for the instance with 'backupRetentionPeriod' at least the minimum and 'enableBackupLog: true' (the Warbler Alibaba kit does this from 'warbler:database.backupRetentionDays').",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.13", "SOC2-A1.2", "PCI-12.10.1", "GDPR-32", "MLPS-8.1.4.9"],
  resourceTypes: [INSTANCE, BACKUP],
  configSchema: {
    properties: { minRetentionDays: { type: "integer", minimum: 1, maximum: 730, default: 7, description: "Fewest days of data backups." } },
  },
  validateStack: (args, report) => {
    const dbs = args.resources.filter((r) => r.type === INSTANCE);
    if (dbs.length === 0) args.notApplicable("the stack has no ApsaraDB RDS instance");
    const { minRetentionDays } = configOf<{ minRetentionDays: number }>(alicloudRdsBackupRetention, args);
    const policies = args.resources.filter((r) => r.type === BACKUP);
    for (const db of dbs) {
      const policy = policies.find((p) => refersTo(p, "instanceId", db));
      const days = Number(policy?.props.backupRetentionPeriod ?? policy?.props.retentionPeriod ?? SERVICE_DEFAULT_DAYS);
      if (days < minRetentionDays) report(`instance '${db.name}' keeps backups for ${days} days; at least ${minRetentionDays} required`, (policy ?? db).urn);
      if (policy && policy.props.enableBackupLog === false) report(`backup policy '${policy.name}' turns log backups off`, policy.urn);
    }
  },
};
