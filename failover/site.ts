import type { DbEndpoint } from "./db";
import type { PublisherEndpoint, ReplicationDialect } from "./replication-sql";

/**
 * What moves DNS. Route 53, Traffic Manager and GTM follow each cloud's IM
 * health endpoint; fencing makes that endpoint report unhealthy so DNS moves
 * users on its own, without the failover command touching DNS.
 */
export interface HealthFence {
  fence(): Promise<void>;
  unfence(): Promise<void>;
}

/** The IM service of one site (the ejabberd StatefulSet; in a drill, the writer's route to that site). */
export interface ImService {
  /** Runs the IM service at its configured size. */
  scaleUp(): Promise<void>;
}

/** One cloud's side of a failover pair. */
export interface Site {
  /** Site name (the cloud, in a sites file); names subscriptions and slots. */
  name: string;
  /** How the engine reaches the database as admin. */
  admin: DbEndpoint;
  /** How the peer's database reaches this one for replication (its private address over the link). */
  replication: PublisherEndpoint;
  dialect: ReplicationDialect;
  health: HealthFence;
  im: ImService;
}

/** Tunables of a failover run. */
export interface FailoverSettings {
  /** Password of the replication role on both sides (a secret). */
  replicationPassword: string;
  /** How long to wait for the standby to apply everything before giving up. @default 60000 */
  catchUpTimeoutMs: number;
  /** Ids left free above the old primary's sequences on a planned switchover. @default 1000 */
  plannedSequenceGap: number;
  /** Ids left free on an emergency failover, where the old primary's last values are unknown. @default 1000000 */
  emergencySequenceGap: number;
}

export const defaultSettings: Omit<FailoverSettings, "replicationPassword"> = {
  catchUpTimeoutMs: 60_000,
  plannedSequenceGap: 1000,
  emergencySequenceGap: 1_000_000,
};
