import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql";
import { backupRetentionPolicy } from "../../common/backupRetention";

export const azurePostgresBackupRetention = backupRetentionPolicy<ServerArgs>({
  id: "azure-postgres-backup-retention",
  name: "PostgreSQL Flexible Server keeps backups long enough",
  target: "azure",
  what: "Every PostgreSQL Flexible Server must keep backups for at least the configured number of days (7 by default).",
  why:
    "Backups are the last line of defence against deletion, corruption and ransomware; a short retention may " +
    "expire the last good copy before a problem is noticed.",
  fix:
    "Set 'warbler:database.backupRetentionDays' (it becomes 'backup.backupRetentionDays') to at least the " +
    "minimum, or lower this policy's 'minRetentionDays' if your recovery objectives allow.",
  retention: { maximum: 35, description: "Fewest days of backups." },
  type: "azure-native:dbforpostgresql:Server",
  setting: "backup.backupRetentionDays",
  // Azure keeps 7 days when backupRetentionDays is left unset.
  days: (server) => server.backup?.backupRetentionDays ?? 7,
});
