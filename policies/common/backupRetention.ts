import type { Unwrap } from "@pulumi/pulumi";
import {
  configOf,
  forTypes,
  type PolicyMeta,
  type PolicyText,
  textOf,
  type WarblerResourcePolicy,
  type WarblerStackPolicy,
} from "../policy";
import { refersTo } from "../props";
import { type DaysSetting, daysSchema, type Switch, switchProblem, tooFewDays } from "./settings";

/** The retention setting every cloud's database rule offers; each cloud passes its service's limit and wording. */
export type RetentionSetting = Pick<DaysSetting, "maximum" | "description">;

interface Retention extends PolicyText {
  readonly retention: RetentionSetting;
}

type Settings = { minRetentionDays: number };

function meta(c: Retention, resourceTypes: readonly string[]): PolicyMeta {
  return {
    ...textOf(c),
    severity: "high",
    enforcementLevel: "mandatory",
    controls: ["ISO27001-A.8.13", "SOC2-A1.2", "PCI-12.10.1", "GDPR-32", "MLPS-8.1.4.9"],
    resourceTypes,
    configSchema: daysSchema({
      key: "minRetentionDays",
      minimum: 1,
      maximum: c.retention.maximum,
      default: 7,
      description: c.retention.description,
    }),
  };
}

/** A database that states its own backup retention. */
export interface BackupRetention<TArgs> extends Retention {
  readonly type: string;
  /** The input's path, as the message names it. */
  readonly setting: string;
  /** Days of backups, with the service's default filled in. */
  readonly days: (db: Partial<Unwrap<TArgs>>) => number;
}

export function backupRetentionPolicy<TArgs>(c: BackupRetention<TArgs>): WarblerResourcePolicy {
  const policy: WarblerResourcePolicy = {
    ...meta(c, [c.type]),
    validateResource: forTypes<TArgs>([c.type], (db, args, report) => {
      const { minRetentionDays } = configOf<Settings>(policy, args);
      const problem = tooFewDays(c.setting, c.days(db), minRetentionDays);
      if (problem) report(problem);
    }),
  };
  return policy;
}

/** A database whose backups a separate backup-policy resource sets, which refers to it. */
export interface LinkedBackupRetention extends Retention {
  readonly type: string;
  /** What the cloud calls the database, for messages. */
  readonly kind: string;
  readonly backupType: string;
  /** The backup policy's input that names the database. */
  readonly databaseRef: string;
  /** Days of backups the policy keeps, or the service's default where no policy exists. */
  readonly days: (backup: Record<string, unknown> | undefined) => number;
  readonly switches: readonly Switch<Record<string, unknown>>[];
}

/** A stack policy: only the whole stack shows which backup policy, if any, belongs to a database. */
export function linkedBackupRetentionPolicy(c: LinkedBackupRetention): WarblerStackPolicy {
  const policy: WarblerStackPolicy = {
    ...meta(c, [c.type, c.backupType]),
    validateStack: (args, report) => {
      const dbs = args.resources.filter((r) => r.type === c.type);
      if (dbs.length === 0) args.notApplicable(`the stack has no ${c.kind}`);
      const { minRetentionDays } = configOf<Settings>(policy, args);
      const backups = args.resources.filter((r) => r.type === c.backupType);
      for (const db of dbs) {
        const backup = backups.find((b) => refersTo(b, c.databaseRef, db));
        const days = c.days(backup?.props);
        if (days < minRetentionDays) {
          report(
            `${c.kind} '${db.name}' keeps backups for ${days} days; at least ${minRetentionDays} required`,
            (backup ?? db).urn,
          );
        }
        if (!backup) continue;
        for (const s of c.switches) {
          const problem = switchProblem(s, backup.props);
          if (problem) report(`backup policy '${backup.name}': ${problem}`, backup.urn);
        }
      }
    },
  };
  return policy;
}
