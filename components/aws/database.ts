import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import type { postgresVersions, Size } from "../../config/clouds";
import { ArgumentChecks } from "../../lib/check";
import type { DatabaseOutputs } from "../contract";
import { RDS_CA_IDENTIFIER, rdsCaBundle } from "./ca-bundle";
import { serviceTrust } from "./permissions";
import { databaseSizes } from "./sizes";
import { databaseVersions, rdsParameterFamilies } from "./versions";

/** One server parameter of the parameter group. */
export interface RdsParameter {
  name: string;
  value: string;
  /** `pending-reboot` for static parameters (such as rds.logical_replication). @default "immediate" */
  applyMethod?: "immediate" | "pending-reboot";
}

/** The parameters that enforce TLS; callers cannot override them. */
export const TLS_PARAMETERS: RdsParameter[] = [
  { name: "rds.force_ssl", value: "1" },
  { name: "ssl_min_protocol_version", value: "TLSv1.2" },
];

/**
 * What the server log records (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Concepts.
 * PostgreSQL.html): every connection and disconnection, and every statement slower than a second with its
 * duration. All three default to off on RDS for PostgreSQL 16 and 17.
 */
export const LOGGING_PARAMETERS: RdsParameter[] = [
  { name: "log_connections", value: "1" },
  { name: "log_disconnections", value: "1" },
  { name: "log_min_duration_statement", value: "1000" },
];

/**
 * Seconds between enhanced monitoring samples (OS metrics: CPU steal, memory, disk queue, per process); 0, the
 * default, turns it off. RDS accepts 0, 1, 5, 10, 15, 30 or 60, and any other value only with a monitoring role
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html).
 */
export const ENHANCED_MONITORING_SECONDS = 60;

/** The AWS managed policy RDS's monitoring role needs, and the service that assumes it. */
export const ENHANCED_MONITORING_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

/** Log exports to CloudWatch: the server log (connections, errors) and major-version upgrade logs. */
export const RDS_LOG_EXPORTS = ["postgresql", "upgrade"];

export interface AwsDatabaseArgs {
  /** RDS instance identifier (naming.ts). @default - none, required */
  identifier: string;
  /** PostgreSQL major; RDS picks and upgrades the minor (versions.ts). @default - none, required */
  version: (typeof postgresVersions)[number];
  /** Abstract size (sizes.ts). @default - none, required */
  size: Size;
  /** Allocated storage in GiB. @default - none, required */
  storageGb: number;
  /** Synchronous standby in another zone (Multi-AZ). @default - none, required */
  highAvailability: boolean;
  /** Days of automated backups. @default - none, required */
  backupRetentionDays: number;
  /** Refuse deletion until turned off. @default - none, required */
  deletionProtection: boolean;
  /** Region, to pick the CA bundle clients verify against. @default - none, required */
  region: string;
  /** VPC of the database. @default - none, required */
  vpcId: pulumi.Input<string>;
  /** Database subnets, one per zone. @default - none, required */
  subnetIds: pulumi.Input<string>[];
  /** The only ranges allowed to connect on 5432: the private (node and pod) subnets. @default - none, required */
  clientCidrs: string[];
  /**
   * The failover peer's network range: allowed to connect on 5432 (it subscribes to this server) and to be
   * connected to on 5432 (after a switchover this server subscribes to the peer). @default - no peer
   */
  peerCidr?: string;
  /** Key ARN for storage, Performance Insights and log encryption. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Application database created on the server. @default "warbler" */
  databaseName?: string;
  /** Admin user. @default "warbler_admin" */
  username?: string;
  /**
   * Extra server parameters (the failover engine adds logical replication here); may not override TLS_PARAMETERS.
   * @default []
   */
  parameters?: RdsParameter[];
  /** Let IAM identities log in with tokens besides the password. @default false */
  iamAuthentication?: boolean;
  /** Days the exported server logs are kept. @default 365 */
  logRetentionDays?: number;
  /** Tags on every resource. @default {} */
  tags?: Record<string, string>;
}

/**
 * RDS for PostgreSQL in the database subnets: encrypted with the stack's
 * key, TLS 1.2+ forced by server parameters, never publicly accessible,
 * reachable on 5432 only from the private subnets, Multi-AZ per config.
 *
 * The admin password is generated here (a secret in state) rather than
 * managed by RDS in Secrets Manager: the contract hands the password to the
 * IM chart and to cross-cloud replication, and an RDS-rotated secret would
 * change under them, unlike the Azure and Alibaba servers.
 */
export class AwsDatabase extends pulumi.ComponentResource {
  /** `caBundle` holds the region's RDS roots, shipped with the kit (ca-bundle.ts). */
  readonly outputs: DatabaseOutputs;
  readonly instance: rds.Instance;
  readonly parameterGroup: rds.ParameterGroup;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(name: string, args: AwsDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Database", name, {}, opts);
    const databaseName = args.databaseName ?? "warbler";
    const username = args.username ?? "warbler_admin";
    const extra = args.parameters ?? [];
    const retention = args.logRetentionDays ?? 365;
    const check = new ArgumentChecks(`invalid AwsDatabase '${name}'`);
    const reserved = new Set([...TLS_PARAMETERS, ...LOGGING_PARAMETERS].map((p) => p.name));
    extra.forEach((p, i) => {
      check.require(
        !reserved.has(p.name),
        `parameters[${i}].name`,
        p.name,
        "is set by the kit (TLS and logging) and cannot be overridden",
      );
    });
    check.require(
      args.version in databaseVersions,
      "version",
      args.version,
      `must be one of ${Object.keys(databaseVersions).join(", ")}`,
    );
    check.require(
      args.size in databaseSizes,
      "size",
      args.size,
      `must be one of ${Object.keys(databaseSizes).join(", ")}`,
    );
    check.require(
      Number.isInteger(args.storageGb) && args.storageGb >= 20 && args.storageGb <= 65536,
      "storageGb",
      args.storageGb,
      "must be an integer from 20 to 65536",
    );
    check.require(
      Number.isInteger(args.backupRetentionDays) && args.backupRetentionDays >= 1 && args.backupRetentionDays <= 35,
      "backupRetentionDays",
      args.backupRetentionDays,
      "must be an integer from 1 to 35",
    );
    check.require(
      args.clientCidrs.length > 0,
      "clientCidrs",
      args.clientCidrs,
      "must list the subnets that may connect",
    );
    check.require(
      /^[a-z_][a-z0-9_]{0,62}$/.test(databaseName),
      "databaseName",
      databaseName,
      "must be 1-63 lowercase letters, digits or underscores",
    );
    check.require(
      /^[a-z][a-z0-9_]{0,15}$/.test(username) && !["postgres", "rdsadmin", "admin"].includes(username),
      "username",
      username,
      "must be 1-16 lowercase letters, digits or underscores, start with a letter, and not be reserved",
    );
    check.throwIfAny(Error);
    const tags = args.tags ?? {};
    const engineVersion = databaseVersions[args.version];
    const parameterFamily = rdsParameterFamilies[args.version];
    const caBundle = rdsCaBundle(args.region);

    const subnetGroup = new rds.SubnetGroup(
      `${name}-subnets`,
      { description: "Warbler database subnets, one per zone", subnetIds: args.subnetIds, tags },
      { parent: this },
    );
    this.securityGroup = new ec2.SecurityGroup(
      `${name}-sg`,
      {
        description: args.peerCidr
          ? "PostgreSQL from the private subnets and the failover peer; to the peer only"
          : "PostgreSQL from the private (node and pod) subnets only",
        vpcId: args.vpcId,
        ingress: [
          {
            description: "PostgreSQL from nodes and pods",
            protocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrBlocks: args.clientCidrs,
          },
          ...(args.peerCidr
            ? [postgresRule("PostgreSQL from the failover peer (its subscription)", args.peerCidr)]
            : []),
        ],
        // Only a subscription to the failover peer opens connections from the server; nothing else goes out.
        egress: args.peerCidr
          ? [postgresRule("PostgreSQL to the failover peer (after a switchover)", args.peerCidr)]
          : [],
        revokeRulesOnDelete: true,
        tags,
      },
      { parent: this },
    );
    this.parameterGroup = new rds.ParameterGroup(
      `${name}-params`,
      {
        family: parameterFamily,
        description: "Warbler PostgreSQL: TLS required, connections and slow statements logged",
        parameters: [...TLS_PARAMETERS, ...LOGGING_PARAMETERS, ...extra].map((p) => ({
          name: p.name,
          value: p.value,
          applyMethod: p.applyMethod ?? "immediate",
        })),
        tags,
      },
      { parent: this },
    );
    // Created before the instance so the exported logs are encrypted and expire from the first line.
    const logGroups = RDS_LOG_EXPORTS.map(
      (log) =>
        new cloudwatch.LogGroup(
          `${name}-log-${log}`,
          {
            name: `/aws/rds/instance/${args.identifier}/${log}`,
            retentionInDays: retention,
            kmsKeyId: args.keyArn,
            tags,
          },
          { parent: this },
        ),
    );
    const monitoringRole = new iam.Role(
      `${name}-monitoring-role`,
      { assumeRolePolicy: JSON.stringify(serviceTrust("monitoring.rds.amazonaws.com")), tags },
      { parent: this },
    );
    const monitoringPolicy = new iam.RolePolicyAttachment(
      `${name}-monitoring-policy`,
      { role: monitoringRole.name, policyArn: ENHANCED_MONITORING_POLICY_ARN },
      { parent: this },
    );
    // Letters and digits only: RDS rejects '/', '"', '@' and spaces, and some clients mishandle other symbols in URLs.
    const generated = new RandomPassword(`${name}-password`, { length: 40, special: false }, { parent: this });
    const password = pulumi.secret(generated.result);

    this.instance = new rds.Instance(
      `${name}-instance`,
      {
        identifier: args.identifier,
        engine: "postgres",
        engineVersion,
        // Only the major is given (versions.ts): RDS keeps the minor current, and reports it as engineVersionActual.
        autoMinorVersionUpgrade: true,
        instanceClass: databaseSizes[args.size].type,
        allocatedStorage: args.storageGb,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: args.keyArn,
        multiAz: args.highAvailability,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [this.securityGroup.id],
        publiclyAccessible: false,
        parameterGroupName: this.parameterGroup.name,
        caCertIdentifier: RDS_CA_IDENTIFIER,
        port: 5432,
        dbName: databaseName,
        username,
        password,
        iamDatabaseAuthenticationEnabled: args.iamAuthentication ?? false,
        backupRetentionPeriod: args.backupRetentionDays,
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${args.identifier}-final`,
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: args.keyArn,
        performanceInsightsRetentionPeriod: 7,
        monitoringInterval: ENHANCED_MONITORING_SECONDS,
        monitoringRoleArn: monitoringRole.arn,
        enabledCloudwatchLogsExports: RDS_LOG_EXPORTS,
        applyImmediately: false,
        tags,
      },
      // RDS checks the monitoring role can be assumed when the instance is created.
      { parent: this, dependsOn: [...logGroups, monitoringPolicy] },
    );
    this.outputs = {
      host: this.instance.address,
      port: this.instance.port,
      database: pulumi.output(databaseName),
      username: pulumi.output(username),
      password,
      sslMode: "verify-full",
      caBundle: pulumi.output(caBundle),
    };
    this.registerOutputs({ address: this.instance.address, port: this.instance.port });
  }
}

function postgresRule(description: string, cidr: string) {
  return { description, protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [cidr] };
}
