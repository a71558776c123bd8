import type { Unwrap } from "@pulumi/pulumi";
import { configOf, forTypes, type PolicyText, textOf, type WarblerResourcePolicy } from "../policy";
import { type DaysSetting, daysSchema, type Switch, switchProblem, tooFewDays } from "./settings";

/** The wait between deleting a key (or vault) and destroying it for good. */
export interface RecoveryWindow<P> {
  /** The input's path, as the message names it. */
  readonly setting: string;
  /** Days, with the cloud's default filled in. */
  readonly days: (props: P) => number;
  /** A fixed minimum, or a pack-config setting for it. */
  readonly minimum: number | DaysSetting;
}

/** What one cloud's key-deletion rule needs besides its words. */
export interface KeyDeletion<TArgs> extends PolicyText {
  /** The cloud's CIS control, where its benchmark has one. */
  readonly cisControl?: string;
  /** The type token of the key or vault. */
  readonly type: string;
  readonly window: RecoveryWindow<Partial<Unwrap<TArgs>>>;
  /** Deletion protection, soft delete, or the key's own state: each must hold its safe value. */
  readonly switches: readonly Switch<Partial<Unwrap<TArgs>>>[];
}

/** Deleting the key makes all data encrypted with it unreadable, so deletion must be slow and recoverable. */
export function keyDeletionPolicy<TArgs>(c: KeyDeletion<TArgs>): WarblerResourcePolicy {
  const { minimum } = c.window;
  const policy: WarblerResourcePolicy = {
    ...textOf(c),
    severity: "high",
    enforcementLevel: "mandatory",
    controls: [
      "ISO27001-A.8.24",
      "ISO27001-A.8.13",
      "SOC2-A1.2",
      "PCI-3.6.1",
      "GDPR-32",
      ...(c.cisControl ? [c.cisControl] : []),
      "MLPS-8.1.4.9",
    ],
    resourceTypes: [c.type],
    ...(typeof minimum === "number" ? {} : { configSchema: daysSchema(minimum) }),
    validateResource: forTypes<TArgs>([c.type], (key, args, report) => {
      const least = typeof minimum === "number" ? minimum : configOf<Record<string, number>>(policy, args)[minimum.key];
      const tooShort = tooFewDays(c.window.setting, c.window.days(key), least);
      for (const problem of [...c.switches.map((s) => switchProblem(s, key)), tooShort]) if (problem) report(problem);
    }),
  };
  return policy;
}
