/**
 * Evaluates the pack without the Pulumi engine: it builds the same argument
 * objects `@pulumi/policy` passes at runtime (ResourceValidationArgs for each
 * resource, StackValidationArgs with parents and dependencies resolved to
 * resource objects) and runs every policy's own validate function over them.
 * The CLI (`warbler policy check`, `warbler plan`, `warbler compliance report`)
 * and the tests all evaluate through here.
 *
 * Public surface:
 *   evaluatePack(resources: ResourceRecord[], config?: PackConfig): Promise<Violation[]>
 *     Every violation, mandatory and advisory, in pack order. Throws
 *     PackConfigError (message names each bad key) for an invalid config.
 *   evaluatePackDetailed(resources, config?, policies?): Promise<PackEvaluation>
 *     Violations plus one verdict per policy with the resources it evaluated
 *     (the report's evidence).
 *   hasMandatory(violations): boolean
 */
import type {
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { configOf, isStackPolicy, type Severity, type WarblerPolicy } from "./policy";
import { selectPolicies } from "./registry";

/** One resource as `warbler policy check` and the offline plan present it. */
export interface ResourceRecord {
  /** Pulumi type token, e.g. `kubernetes:core/v1:Pod`. */
  type: string;
  /** Logical (Pulumi) name. */
  name: string;
  /** Input properties; "[secret]" stands for a secret value. */
  props: Record<string, unknown>;
  /** @default `urn:pulumi:offline::warbler::<type>::<name>` */
  urn?: string;
  /** URN of the parent resource. */
  parent?: string;
  /** URN of the provider resource, when it is one of `resources`. */
  provider?: string;
  /** The resource's id, when known (real engine state or the plan's mocks). */
  id?: string;
  /** Output properties, when known; stack policies see inputs overlaid with these, as the engine passes outputs. */
  outputs?: Record<string, unknown>;
  /** URNs this resource depends on. */
  dependencies?: string[];
  /** For each input property, the URNs its value came from. */
  propertyDependencies?: Record<string, string[]>;
  /** The `protect` resource option. */
  protect?: boolean;
}

/** Pack config in the shape `pulumi preview --policy-config` reads: per policy id, a level or an object. */
export type PackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

export interface Violation {
  policy: string;
  /** Logical name of the resource, or `(stack)` for a stack-wide finding. */
  resource: string;
  urn?: string;
  enforcement: "mandatory" | "advisory";
  severity: Severity;
  message: string;
}

/** One policy's outcome over a set of resources: the report's evidence. */
export interface PolicyVerdict {
  policy: string;
  enforcement: EnforcementLevel;
  /** `pass`, `fail`, `not-applicable` (nothing it checks exists) or `disabled` by config. */
  verdict: "pass" | "fail" | "not-applicable" | "disabled";
  /** Names of the resources the policy evaluated. */
  evaluated: string[];
  violations: Violation[];
}

export interface PackEvaluation {
  violations: Violation[];
  verdicts: PolicyVerdict[];
}

/** The pack config names an unknown policy, level or setting. */
export class PackConfigError extends Error {
  constructor(problems: string[]) {
    super(`invalid policy config:\n  ${problems.join("\n  ")}`);
    this.name = "PackConfigError";
  }
}

class NotApplicable extends Error {}

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Collects every config problem, then throws once. */
export function validatePackConfig(config: PackConfig, policies: readonly WarblerPolicy[] = selectPolicies()): void {
  const byId = new Map(policies.map((p) => [p.id, p]));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const policy = byId.get(key);
    if (!policy && key !== "all") {
      problems.push(`'${key}' is not a policy of the pack (run 'warbler policy list' for the ids)`);
      continue;
    }
    const level = typeof value === "string" ? value : value?.enforcementLevel;
    if (level !== undefined && !levels.includes(level)) {
      problems.push(`'${key}.enforcementLevel' (${JSON.stringify(level)}) must be one of ${levels.join(", ")}`);
    }
    if (typeof value === "object" && value !== null) {
      const known = Object.keys(policy?.configSchema?.properties ?? {});
      for (const setting of Object.keys(value)) {
        if (setting !== "enforcementLevel" && !known.includes(setting)) {
          problems.push(
            `'${key}.${setting}' is not a setting of this policy; ` +
              `allowed: ${["enforcementLevel", ...known].join(", ")}`,
          );
        }
      }
    } else if (typeof value !== "string") {
      problems.push(`'${key}' (${JSON.stringify(value)}) must be an enforcement level or an object`);
    }
  }
  if (problems.length > 0) throw new PackConfigError(problems);
}

function enforcementOf(policy: WarblerPolicy, config: PackConfig): EnforcementLevel {
  const pick = (v: PackConfig[string] | undefined) => (typeof v === "string" ? v : v?.enforcementLevel);
  const level = pick(config[policy.id]) ?? pick(config.all) ?? policy.enforcementLevel;
  // The engine downgrades remediate to mandatory when a violation remains; Warbler policies never remediate.
  return level === "remediate" ? "mandatory" : level;
}

function settingsOf(policy: WarblerPolicy, config: PackConfig): Record<string, unknown> {
  const value = config[policy.id];
  if (typeof value !== "object" || value === null) return {};
  const { enforcementLevel: _ignored, ...settings } = value;
  return settings;
}

function urnOf(r: ResourceRecord): string {
  return r.urn ?? `urn:pulumi:offline::warbler::${r.type}::${r.name}`;
}

function optsOf(r: ResourceRecord): PolicyResourceOptions {
  return {
    protect: r.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

function typeCheckers(type: string) {
  const matches = (cls: unknown) => (cls as { __pulumiType?: string } | undefined)?.__pulumiType === type;
  return {
    isType: (cls: unknown) => matches(cls),
    asType: (cls: unknown) => (matches(cls) ? true : undefined),
  };
}

/** The stack's resources as `@pulumi/policy` hands them to validateStack: outputs, parents and dependencies linked. */
export function toPolicyResources(records: readonly ResourceRecord[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const out = records.map((r) => {
    const props = { ...r.props, ...(r.id ? { id: r.id } : {}), ...(r.outputs ?? {}) };
    const checkers = typeCheckers(r.type);
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: urnOf(r),
      name: r.name,
      opts: optsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: checkers.isType as PolicyResource["isType"],
      asType: ((cls: unknown) => (checkers.asType(cls) ? props : undefined)) as PolicyResource["asType"],
    };
    byUrn.set(resource.urn, resource);
    return resource;
  });
  records.forEach((r, i) => {
    const resource = out[i];
    const resolve = (urns: readonly string[] | undefined) =>
      (urns ?? []).map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
    if (r.parent && byUrn.has(r.parent)) resource.parent = byUrn.get(r.parent);
    if (r.provider && byUrn.has(r.provider)) {
      const p = byUrn.get(r.provider)!;
      resource.provider = { type: p.type, props: p.props, urn: p.urn, name: p.name };
    }
    resource.dependencies = resolve(r.dependencies);
    for (const [prop, urns] of Object.entries(r.propertyDependencies ?? {}))
      resource.propertyDependencies[prop] = resolve(urns);
  });
  return out;
}

function resourceArgs(record: ResourceRecord, linked: PolicyResource, getConfig: () => object): ResourceValidationArgs {
  const checkers = typeCheckers(record.type);
  return {
    type: record.type,
    props: record.props,
    urn: linked.urn,
    name: record.name,
    opts: optsOf(record),
    ...(linked.provider ? { provider: linked.provider } : {}),
    stackTags: new Map(),
    isType: checkers.isType as ResourceValidationArgs["isType"],
    asType: ((cls: unknown) => (checkers.asType(cls) ? record.props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: getConfig as ResourceValidationArgs["getConfig"],
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** Runs the pack and returns every violation plus each policy's verdict and evidence. */
export async function evaluatePackDetailed(
  records: readonly ResourceRecord[],
  config: PackConfig = {},
  policies: readonly WarblerPolicy[] = selectPolicies(),
): Promise<PackEvaluation> {
  validatePackConfig(config, policies);
  const linked = toPolicyResources(records);
  const nameByUrn = new Map(linked.map((r) => [r.urn, r.name]));
  const verdicts: PolicyVerdict[] = [];

  for (const policy of policies) {
    const enforcement = enforcementOf(policy, config);
    if (enforcement === "disabled") {
      verdicts.push({ policy: policy.id, enforcement, verdict: "disabled", evaluated: [], violations: [] });
      continue;
    }
    const settings = settingsOf(policy, config);
    const getConfig = () => configOf(policy, { getConfig: <T extends object>() => settings as T });
    const violations: Violation[] = [];
    const evaluated: string[] = [];
    const record = (resource: string, urn: string | undefined, message: string) =>
      violations.push({
        policy: policy.id,
        resource,
        ...(urn ? { urn } : {}),
        enforcement: enforcement === "advisory" ? "advisory" : "mandatory",
        severity: policy.severity,
        message,
      });

    if (isStackPolicy(policy)) {
      const args: StackValidationArgs = {
        resources: linked,
        stackTags: new Map(),
        getConfig: getConfig as StackValidationArgs["getConfig"],
        notApplicable: (reason?: string): never => {
          throw new NotApplicable(reason);
        },
      };
      try {
        await policy.validateStack(args, (message, urn) =>
          record(urn ? (nameByUrn.get(urn) ?? urn) : "(stack)", urn, message),
        );
        evaluated.push(...linked.filter((r) => policy.resourceTypes.includes(r.type)).map((r) => r.name));
      } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
      }
    } else {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (let i = 0; i < records.length; i++) {
        let applied = false;
        for (const validate of validations) {
          try {
            await validate(resourceArgs(records[i], linked[i], getConfig), (message) =>
              record(records[i].name, linked[i].urn, message),
            );
            applied = true;
          } catch (err) {
            if (!(err instanceof NotApplicable)) throw err;
          }
        }
        if (applied) evaluated.push(records[i].name);
      }
    }
    const verdict = violations.length > 0 ? "fail" : evaluated.length > 0 ? "pass" : "not-applicable";
    verdicts.push({ policy: policy.id, enforcement, verdict, evaluated, violations });
  }
  return { violations: verdicts.flatMap((v) => v.violations), verdicts };
}

/** Every violation of the pack over `records`, mandatory and advisory. */
export async function evaluatePack(records: readonly ResourceRecord[], config: PackConfig = {}): Promise<Violation[]> {
  return (await evaluatePackDetailed(records, config)).violations;
}

export function hasMandatory(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.enforcement === "mandatory");
}
