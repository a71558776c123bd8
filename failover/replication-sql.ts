import { readOnlyStep } from "./replication-moves";
import { defaultNames, direction, type ReplicationDialect, type ReplicationNames } from "./replication-names";
import { type PublisherEndpoint, prepareSteps, roleSteps, subscriptionSteps } from "./replication-setup";
import type { SqlStep } from "./sql-step";

export * from "./replication-moves";
/**
 * The one generator of replication SQL. The Kubernetes Job (production set
 * up), `warbler failover switchover|emergency` and the drill all build their
 * SQL here. Pure: every function returns text or steps and touches nothing.
 *
 * Steps discover the schema from the catalog at run time instead of carrying
 * a table list, so an ejabberd upgrade that adds tables is covered by a rerun.
 * By concern: names and dialects (replication-names.ts), setting up
 * (replication-setup.ts), moving the primary (replication-moves.ts).
 */
export * from "./replication-names";
export * from "./replication-setup";

export interface SetupSite {
  name: string;
  dialect: ReplicationDialect;
}

/**
 * Everything that makes `standby` a subscriber of `primary`, per side: the
 * Kubernetes Job renders these as psql scripts, the drill runs them. Both
 * sides publish and hold the role, so a switchover can replicate back.
 */
export function setupSteps(
  primary: SetupSite,
  standby: SetupSite,
  publisher: PublisherEndpoint,
  names: ReplicationNames = defaultNames,
): { primary: SqlStep[]; standby: SqlStep[] } {
  return {
    primary: [...prepareSteps(names), ...roleSteps(primary.dialect, names)],
    standby: [
      ...prepareSteps(names),
      ...roleSteps(standby.dialect, names),
      readOnlyStep(true),
      ...subscriptionSteps(
        direction(primary.name, standby.name),
        publisher,
        { copyData: true, createSlot: true },
        names,
      ),
    ],
  };
}
