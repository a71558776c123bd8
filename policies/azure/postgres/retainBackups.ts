import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

export const azurePostgresBackupRetention: WarblerResourcePolicy = {
  id: "azure-postgres-backup-retention",
  name: "PostgreSQL Flexible Server keeps backups long enough",
  target: "azure",
  what: "Every PostgreSQL Flexible Server must keep backups for at least the configured number of days (7 by default).",
  why: "Backups are the last line of defence against deletion, corruption and ransomware; a short retention may expire the last good copy before a problem is noticed.",
  fix: "Set 'warbler:database.backupRetentionDays' (it becomes 'backup.backupRetentionDays') to at least the minimum, or lower this policy's 'minRetentionDays' if your recovery objectives allow.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.13", "SOC2-A1.2", "PCI-12.10.1", "GDPR-32", "MLPS-8.1.4.9"],
  resourceTypes: ["azure-native:dbforpostgresql:Server"],
  configSchema: {
    properties: { minRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of backups." } },
  },
  validateResource: forTypes<ServerArgs>(["azure-native:dbforpostgresql:Server"], (s, args, report) => {
    const { minRetentionDays } = configOf<{ minRetentionDays: number }>(azurePostgresBackupRetention, args);
    // Azure keeps 7 days when backupRetentionDays is left unset.
    const days = s.backup?.backupRetentionDays ?? 7;
    if (days < minRetentionDays) report(`backup.backupRetentionDays (${days}) must be at least ${minRetentionDays}`);
  }),
};
