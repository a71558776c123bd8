import type { Unwrap } from "@pulumi/pulumi";
import { forTypes, type PolicyText, textOf, type WarblerResourcePolicy } from "../policy";
import { allowsEverything } from "../props";

/**
 * One thing a resource grants, with how a message names it: a policy document
 * (JSON text or object), or one of the cloud's built-in policies by name or ARN.
 */
export type Grant = { readonly label: string } & ({ readonly document: unknown } | { readonly builtin: unknown });

/** What one cloud's least-privilege rule needs besides its words. */
export interface RolePrivileges<TArgs> extends PolicyText {
  /** For each type token the rule evaluates, what a resource of that type grants. */
  readonly grants: Readonly<Record<string, (props: Partial<Unwrap<TArgs>>) => readonly Grant[]>>;
  /** True for the cloud's built-in policies that make their holder an administrator. */
  readonly isAdmin: (builtin: string) => boolean;
}

export function rolePrivilegesPolicy<TArgs>(c: RolePrivileges<TArgs>): WarblerResourcePolicy {
  const types = Object.keys(c.grants);
  return {
    ...textOf(c),
    severity: "high",
    enforcementLevel: "advisory",
    controls: ["ISO27001-A.8.2", "ISO27001-A.5.15", "SOC2-CC6.3", "PCI-7.2.1", "MLPS-8.1.4.2"],
    resourceTypes: types,
    validateResource: forTypes<TArgs>(types, (props, args, report) => {
      for (const grant of c.grants[args.type](props)) {
        if ("document" in grant && allowsEverything(grant.document)) {
          report(`${grant.label} allows every action on every resource`);
        }
        if ("builtin" in grant && c.isAdmin(String(grant.builtin)))
          report(`${grant.label} grants administrator access`);
      }
    }),
  };
}
