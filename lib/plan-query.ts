/**
 * The resources of an offline plan (`warbler plan`) and pure queries over
 * them. They live here, below every room, because the plan room writes them
 * and the kits read them: each kit computes its parity cells from a plan of
 * itself (components/<cloud>/parity.ts).
 */

/** One resource the program registered, as the plan document records it. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource; empty for top-level resources. */
  parent: string;
  /** False for component resources. */
  custom: boolean;
  /** Inputs as the engine would receive them; secrets are "[secret]". */
  inputs: Record<string, unknown>;
  /** Provider id of the resource (fabricated by the mocks); empty for components. */
  id: string;
  /** Outputs the mocks computed beyond the inputs (ARNs, ids, endpoints); secrets are "[secret]". */
  outputs: Record<string, unknown>;
  /** URNs this resource depends on. */
  dependencies: string[];
  /** For each input property, the URNs its value came from. */
  propertyDependencies: Record<string, string[]>;
  /** URN of the explicit provider resource, if any. */
  provider: string;
  /** The `protect` resource option. */
  protect: boolean;
  /**
   * The URNs this resource would take over from an earlier deployment: its `aliases` option and
   * those it inherits from an aliased parent, resolved as the engine resolves them (plan/aliases.ts).
   * @default - absent: the resource declares no alias and has no aliased ancestor
   */
  aliases?: string[];
}

/** A resource of a plan document. */
export type PlanResource = Omit<PlannedResource, "custom">;

/** What the queries read of a plan document: its stack and resources. */
export interface PlannedStack {
  stack: string;
  resources: PlanResource[];
}

/** Every planned resource of an exact type token. */
export function ofType(plan: PlannedStack, type: string): PlanResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The first planned resource of a type; a plan without one is an error naming the stack. */
export function one(plan: PlannedStack, type: string): PlanResource {
  const found = ofType(plan, type);
  if (found.length === 0) throw new Error(`the plan of '${plan.stack}' has no ${type}`);
  return found[0];
}

/** The value at a dotted path of a resource's inputs (`vpcConfig.endpointPrivateAccess`). */
export function input(resource: PlanResource, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
      resource.inputs,
    );
}

/** `type name path`, the evidence a parity cell cites. */
export function cite(resource: PlanResource, path: string): string {
  return `${resource.type} ${resource.name}: ${path} = ${JSON.stringify(input(resource, path))}`;
}

/**
 * Every string that identifies a customer-managed key of type `keyType`
 * created in this plan: ids, ARNs, versioned and versionless Key Vault URIs.
 * A resource encrypted "by the stack's key" must reference one of them.
 */
export function stackKeyRefs(plan: PlannedStack, keyType: string): Set<string> {
  const refs = new Set<string>();
  for (const key of ofType(plan, keyType)) {
    refs.add(key.id);
    for (const field of ["arn", "keyId", "keyUri", "keyUriWithVersion"]) {
      const value = key.outputs[field];
      if (typeof value === "string") refs.add(value);
    }
  }
  return refs;
}
