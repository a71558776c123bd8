import type { PlannedStack } from "../lib/plan-query";
import type { Violation } from "../policies/harness";

/** A policy violation against one resource (or the stack), as the policy pack reports it. */
export type PlanViolation = Violation;

/** The offline plan of one stack: what `warbler plan --json` writes. */
export interface PlanDocument extends PlannedStack {
  /** The stack's cloud, or "global" for the DNS failover stack. */
  cloud: string;
  /** The stack outputs, resolved; secrets are "[secret]". */
  outputs: Record<string, unknown>;
  violations: PlanViolation[];
  /** The program's warnings (pulumi.log.warn), which `pulumi up` would show. */
  warnings: string[];
}

/** JSON with object keys sorted at every depth, so plan files diff cleanly run to run. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Cloud resources per owning component (the nearest warbler:* ancestor) and per type, for the human summary. */
export function summarize(doc: PlanDocument): { byComponent: Map<string, number>; byType: Map<string, number> } {
  const byUrn = new Map(doc.resources.map((r) => [r.urn, r]));
  const owner = (urn: string): string => {
    for (let current = byUrn.get(urn); current; current = byUrn.get(current.parent)) {
      if (current.type.startsWith("warbler:")) return `${current.type} ${current.name}`;
    }
    return "(top level)";
  };
  const byComponent = new Map<string, number>();
  const byType = new Map<string, number>();
  for (const r of doc.resources) {
    if (r.type.startsWith("warbler:")) continue;
    const component = owner(r.parent);
    byComponent.set(component, (byComponent.get(component) ?? 0) + 1);
    byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  }
  return { byComponent, byType };
}
