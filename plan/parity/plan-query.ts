import type { PlanDocument } from "../document";

export type PlanResource = PlanDocument["resources"][number];

/** Every planned resource of an exact type token. */
export function ofType(plan: PlanDocument, type: string): PlanResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The value at a dotted path of a resource's inputs (`vpcConfig.endpointPrivateAccess`). */
export function input(resource: PlanResource, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), resource.inputs);
}

/** `type name path`, the evidence a parity cell cites. */
export function cite(resource: PlanResource, path: string): string {
  return `${resource.type} ${resource.name}: ${path} = ${JSON.stringify(input(resource, path))}`;
}

const KEY_TYPES = ["aws:kms/key:Key", "azure-native:keyvault:Key", "alicloud:kms/key:Key"];

/**
 * Every string that identifies a customer-managed key created in this plan:
 * ids, ARNs, versioned and versionless Key Vault URIs. A resource encrypted
 * "by the stack's key" must reference one of them.
 */
export function stackKeyRefs(plan: PlanDocument): Set<string> {
  const refs = new Set<string>();
  for (const key of plan.resources.filter((r) => KEY_TYPES.includes(r.type))) {
    refs.add(key.id);
    for (const field of ["arn", "keyId", "keyUri", "keyUriWithVersion"]) {
      const value = key.outputs[field];
      if (typeof value === "string") refs.add(value);
    }
  }
  return refs;
}
