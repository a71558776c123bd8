import { imReplicas, turnRelayPortsIssue } from "../../config/im";
import { type ConfigIssue, foreignKeyIssue } from "../../config/load";
import { NAMESPACE } from "../../config/namespace";
import { regions } from "../../config/regions";
import { type PartialPlatformConfig, platformShape } from "../../config/schema";
import { NLB_MAX_CONNECTIONS } from "./load-balancer";
import { basicDatabaseSizes, maxImSessionsPerNode } from "./sizes";
import { regionZones } from "./zones";

/**
 * Relay ports the TURN CLB can carry: "Number of listeners per CLB instance: 50" by default
 * (help.aliyun.com/en/slb/classic-load-balancer/product-overview/limits-1; a quota increase can raise it), less the
 * TURN Service's 3478/UDP and 443/TCP listeners.
 */
export const ALICLOUD_TURN_RELAY_MAX_PORTS = 48;

/**
 * Days the kit's logstores keep logs at least: "retain relevant network logs for no less than six months"
 * (Cybersecurity Law of the People's Republic of China, Article 21(3)), the retention MLPS 2.0 level 3 audits.
 */
export const MLPS_LOG_RETENTION_DAYS = 180;

/**
 * What the Alibaba Cloud kit cannot build from a config that the cloud-neutral
 * schema accepts. Returns every problem, so one run reports them all; it also
 * runs when other keys failed, hence the defensive reads.
 */
export function alicloudConfigIssues(config: PartialPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // A region the schema does not accept is the schema's to report, with the same list of regions.
  const region =
    typeof config.region === "string" && regions.alicloud.includes(config.region) ? config.region : undefined;
  const zones = region === undefined ? undefined : regionZones[region];
  // A zone count the schema refuses (not an integer from 2 to 3) is the schema's to report; naming the key twice
  // would only repeat it.
  const wantedZones = acceptedZoneCount(config.network?.zones);
  if (region !== undefined && !zones) {
    issues.push({
      key: `${NAMESPACE}:region`,
      value: region,
      message: `has no zone table in the Alibaba Cloud kit; use one of ${Object.keys(regionZones).join(", ")}`,
    });
  } else if (zones && wantedZones !== undefined && zones.length < wantedZones) {
    issues.push({
      key: `${NAMESPACE}:network.zones`,
      value: wantedZones,
      message:
        `must be at most ${zones.length}: ${region} has ${zones.length} zones that offer ACK, ECS g7 ` +
        `and RDS PostgreSQL (${zones.join(", ")})`,
    });
  }
  const publicAccessCidrs = config.cluster?.publicAccessCidrs;
  if (Array.isArray(publicAccessCidrs) && publicAccessCidrs.length > 0) {
    issues.push({
      key: `${NAMESPACE}:cluster.publicAccessCidrs`,
      value: publicAccessCidrs,
      message:
        "is not supported by the alicloud kit yet: ACK restricts its public endpoint only through an access-control " +
        "list on the API server load balancer's 6443 listener, which ACK creates and @pulumi/alicloud 3.108 cannot " +
        "attach an ACL to; deploy from inside the network and list that runner's range in " +
        "'cluster.privateAccessCidrs' (docs/alicloud.md, Deploy path)",
    });
  }
  const adminPrincipalsIssue = foreignKeyIssue(
    "cluster.adminPrincipals",
    config.cluster?.adminPrincipals,
    "is for aws only (IAM ARNs granted through EKS access entries): on alicloud the deployer's RAM identity " +
      "gets ACK's kubeconfig; give other RAM users or roles cluster access through ACK's RBAC authorization " +
      "outside the stack",
  );
  if (adminPrincipalsIssue) issues.push(adminPrincipalsIssue);
  const retention = config.cluster?.auditLogRetentionDays;
  if (typeof retention === "number" && retention < MLPS_LOG_RETENTION_DAYS) {
    issues.push({
      key: `${NAMESPACE}:cluster.auditLogRetentionDays`,
      value: retention,
      message:
        `must be at least ${MLPS_LOG_RETENTION_DAYS} on alicloud: China's Cybersecurity Law (Article 21) and ` +
        "MLPS 2.0 level 3 require network logs to be kept for no less than six months; it sets the audit, " +
        "control-plane and flow logstores' retention",
    });
  }
  const databaseIssue = dedicatedClassIssue(config.database);
  if (databaseIssue) issues.push(databaseIssue);
  const relayIssue = turnRelayPortsIssue(
    config.im,
    "alicloud",
    ALICLOUD_TURN_RELAY_MAX_PORTS,
    "a CLB has at most 50 listeners by default, and the TURN CLB also listens on 3478/UDP and 443/TCP",
  );
  if (relayIssue) issues.push(relayIssue);
  issues.push(...imCapacityIssues(config));
  return issues;
}

/**
 * What the IM path on this cloud cannot hold: more sessions on one node than the largest ecs.r7 type's connection
 * limit (sizes.ts), more sessions in all than one NLB holds (load-balancer.ts), and a config pool that would take
 * the name of the kit's own ejabberd pool (and with it the pool's resource name).
 */
function imCapacityIssues(config: PartialPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const im = config.im as { replicas?: unknown; sessions?: unknown; sessionsPerInstance?: unknown } | undefined;
  const perInstance = typeof im?.sessionsPerInstance === "number" ? im.sessionsPerInstance : 1_000_000;
  if (perInstance > maxImSessionsPerNode)
    issues.push({
      key: `${NAMESPACE}:im.sessionsPerInstance`,
      value: perInstance,
      message:
        `must be at most ${maxImSessionsPerNode} on alicloud: that is the connection limit of the largest ` +
        "ecs.r7 instance type (ecs.r7.32xlarge), and each session is one connection to its node",
    });
  const replicas = imReplicas({
    replicas: typeof im?.replicas === "number" ? im.replicas : undefined,
    sessions: typeof im?.sessions === "number" ? im.sessions : undefined,
    sessionsPerInstance: perInstance,
  });
  if (replicas * perInstance > NLB_MAX_CONNECTIONS)
    issues.push({
      key: `${NAMESPACE}:im.replicas`,
      value: replicas,
      message:
        `times 'sessionsPerInstance' (${perInstance}) must be at most ${NLB_MAX_CONNECTIONS} on alicloud: the ` +
        "ejabberd client Service sits behind one NLB, which holds at most 100 million connections",
    });
  return issues;
}

/** `network.zones` when the schema accepts it, otherwise undefined. */
function acceptedZoneCount(value: unknown): number | undefined {
  return typeof value === "number" && platformShape.network.unwrap().shape.zones.safeParse(value).success
    ? value
    : undefined;
}

/**
 * The stack key encrypts the database disks, which RDS PostgreSQL accepts only on dedicated classes
 * (sizes.ts); the Basic edition has a dedicated 1:4 class only at some sizes.
 */
function dedicatedClassIssue(database: PartialPlatformConfig["database"]): ConfigIssue | undefined {
  if (database?.highAvailability !== false) return undefined;
  const size = typeof database.size === "string" ? database.size : "medium";
  if (size in basicDatabaseSizes) return undefined;
  return {
    key: `${NAMESPACE}:database.highAvailability`,
    value: false,
    message:
      `with database.size '${size}' needs a dedicated Basic-edition class, which RDS PostgreSQL sells at 1:4 only ` +
      `for ${Object.keys(basicDatabaseSizes).join(", ")}: the stack's KMS key encrypts the disks, and RDS takes a ` +
      "customer key only on dedicated classes; keep highAvailability true or choose one of those sizes",
  };
}
