/**
 * Shared pieces of the factories: a setting that must hold one safe value,
 * and a number of days that must reach a minimum, judged and worded the same
 * way for every cloud.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

/** A setting with one safe value, read from a resource's inputs. */
export interface Switch<P> {
  /** The input's path, as the message names it. */
  readonly setting: string;
  readonly value: (props: P) => unknown;
  readonly safe: unknown;
  /** What the cloud uses when the input is unset. */
  readonly unset: unknown;
}

/** Why the setting is unsafe, or undefined when it holds its safe value (set, or by the cloud's default). */
export function switchProblem<P>(s: Switch<P>, props: P): string | undefined {
  const value = s.value(props);
  if ((value ?? s.unset) === s.safe) return undefined;
  const shown = value === undefined ? `unset, which means ${JSON.stringify(s.unset)}` : JSON.stringify(value);
  return `${s.setting} (${shown}) must be ${JSON.stringify(s.safe)}`;
}

/** A pack-config setting for the fewest days something is kept. */
export interface DaysSetting {
  /** The setting's key in the pack config. */
  readonly key: string;
  readonly minimum: number;
  readonly maximum: number;
  readonly default: number;
  readonly description: string;
}

export function daysSchema(s: DaysSetting): PolicyConfigSchema {
  const { key, ...bounds } = s;
  return { properties: { [key]: { type: "integer", ...bounds } } };
}

/** The message for a number of days below the minimum, or undefined when it is enough. */
export function tooFewDays(setting: string, days: number, minimum: number): string | undefined {
  return days < minimum ? `${setting} (${days}) must be at least ${minimum}` : undefined;
}
