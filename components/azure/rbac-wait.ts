import { setTimeout as sleep } from "node:timers/promises";
import type { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import * as pulumi from "@pulumi/pulumi";

/**
 * How long after a role assignment is created the kit waits before using it. Azure RBAC caches assignments: "it can
 * take up to 10 minutes for changes to take effect" (https://learn.microsoft.com/en-us/azure/role-based-access-control/
 * troubleshooting, "Role assignment changes are not being detected").
 * A resource that checks its identity's access when it is created (a disk encryption set, a CMK-encrypted server or
 * account, AKS KMS) is refused with 403 until then. Ten minutes, counted from ARM's own `createdOn`, so only the run
 * that created the assignment waits.
 */
export const RBAC_PROPAGATION_MS = 10 * 60 * 1000;

/** Milliseconds still to wait for assignments created at `createdOn` (ISO 8601, as ARM returns it); 0 when unknown. */
export function propagationWaitMs(createdOn: readonly (string | undefined)[], now: number): number {
  const times = createdOn.map((c) => (c ? Date.parse(c) : Number.NaN)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return 0;
  return Math.max(0, Math.max(...times) + RBAC_PROPAGATION_MS - now);
}

/**
 * `value`, released once every assignment in `grants` has had time to propagate. The result depends on the grants,
 * so a resource taking it as an input is created after them, and after the wait. A bounded wait, not a retry: the
 * provider does not retry a 403, and the program has no resource that could (no time or command provider here).
 */
export function afterPropagation<T>(grants: readonly RoleAssignment[], value: pulumi.Input<T>): pulumi.Output<T> {
  return pulumi.all([pulumi.all(grants.map((g) => g.createdOn)), value]).apply(async ([created, v]) => {
    const wait = propagationWaitMs(created, Date.now());
    if (wait > 0) {
      pulumi.log.info(`waiting ${Math.ceil(wait / 1000)} s for new Azure role assignments to propagate`);
      await sleep(wait);
    }
    return v as T;
  });
}
