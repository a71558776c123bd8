import type {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";

/**
 * The clouds the pack knows; each has its folder under policies/. The pack is
 * published on its own (`pulumi policy publish policies`), so it keeps this list
 * rather than importing config/clouds.ts; test/policy/registry.test.ts keeps the two equal.
 */
export const clouds = ["aws", "azure", "alicloud"] as const;
export type Cloud = (typeof clouds)[number];

/** Where a policy applies; it is also the folder the policy lives in. */
export const targets = [...clouds, "kubernetes", "stack"] as const;
export type Target = (typeof targets)[number];

export const severities = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof severities)[number];

/** The levels a policy may default to; `disabled` is only ever set by pack config. */
export type DefaultEnforcement = "mandatory" | "advisory";

/** What every Warbler policy declares, whatever it validates. */
export interface PolicyMeta {
  /** Stable id, `<target>-<service>-<what>`; it is the policy's name in the Pulumi engine and in pack config. */
  readonly id: string;
  /** A short title for people. */
  readonly name: string;
  readonly target: Target;
  /** What is checked, in plain words. */
  readonly what: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix a violation. */
  readonly fix: string;
  readonly severity: Severity;
  /** Mandatory for encryption, TLS, public exposure and secrets; advisory for hygiene. */
  readonly enforcementLevel: DefaultEnforcement;
  /** Control ids from policies/controls.json that this policy evidences. */
  readonly controls: readonly string[];
  /** The Pulumi type tokens the policy evaluates; the report lists resources of these types as evidence. */
  readonly resourceTypes: readonly string[];
  /** Settings a compliance team may override in the pack config; every property has a default. */
  readonly configSchema?: PolicyConfigSchema;
}

/** The words of a policy that auditors signed off; a shared factory takes them from the policy's own file. */
export type PolicyText = Pick<PolicyMeta, "id" | "name" | "target" | "what" | "why" | "fix">;

/** Only the words of a factory's arguments, so that none of its other fields ends up on the policy. */
export function textOf({ id, name, target, what, why, fix }: PolicyText): PolicyText {
  return { id, name, target, what, why, fix };
}

export interface WarblerResourcePolicy extends PolicyMeta {
  readonly validateResource: ResourceValidationPolicy["validateResource"] & {};
}

export interface WarblerStackPolicy extends PolicyMeta {
  readonly validateStack: StackValidation;
}

export type WarblerPolicy = WarblerResourcePolicy | WarblerStackPolicy;

export function isStackPolicy(p: WarblerPolicy): p is WarblerStackPolicy {
  return "validateStack" in p;
}

/**
 * A resource validation for one or more type tokens, with the inputs typed
 * from the provider SDK's Args interface so that tsc proves every property
 * name the policy reads. Other types are reported as not applicable, the
 * same answer the engine records.
 */
export function forTypes<TArgs>(
  types: readonly string[],
  validate: (props: Partial<Unwrap<TArgs>>, args: ResourceValidationArgs, report: ReportViolation) => void,
): (args: ResourceValidationArgs, report: ReportViolation) => void {
  return (args, report) => {
    if (!types.includes(args.type)) args.notApplicable(`applies to ${types.join(", ")}`);
    validate(args.props as Partial<Unwrap<TArgs>>, args, report);
  };
}

/**
 * The policy's config with every schema default filled in. The Pulumi CLI
 * fills defaults before it calls the pack, the harness may not: this keeps
 * both identical.
 */
export function configOf<T extends object>(
  policy: Pick<PolicyMeta, "configSchema">,
  args: { getConfig<C extends object>(): C },
): T {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema.default !== undefined) defaults[key] = schema.default;
  }
  return { ...defaults, ...args.getConfig<Record<string, unknown>>() } as T;
}

/** The description the Pulumi engine shows next to a violation: what, then why. */
export function describe(p: PolicyMeta): string {
  return `${p.what} ${p.why}`;
}

/** Converts a Warbler policy into the object `@pulumi/policy` serves. */
export function toPulumiPolicy(p: WarblerPolicy): ResourceValidationPolicy | StackValidationPolicy {
  const common = {
    name: p.id,
    displayName: p.name,
    description: describe(p),
    remediationSteps: p.fix,
    severity: p.severity,
    enforcementLevel: p.enforcementLevel,
    tags: [p.target, ...p.controls],
    ...(p.configSchema ? { configSchema: p.configSchema } : {}),
  };
  return isStackPolicy(p)
    ? { ...common, validateStack: p.validateStack }
    : { ...common, validateResource: p.validateResource };
}
