import { Policy, Role, RolePolicyAttachment } from "@pulumi/alicloud/ram";
import { BackupPolicy, Database, Instance, RdsAccount } from "@pulumi/alicloud/rds";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import type { Size } from "../../config/clouds";
import { ArgumentChecks } from "../../lib/check";
import type { DatabaseOutputs } from "../contract";
import { apsaraDbCaChainUrl } from "./ca-bundle";
import { rdsKeyPolicy, serviceTrustPolicy } from "./permissions";
import { databaseCategory, databaseMachine } from "./sizes";

/** One PostgreSQL server parameter, as ApsaraDB RDS takes it. */
export interface RdsParameter {
  name: string;
  value: string;
}

export interface AlicloudDatabaseArgs {
  /** RDS instance name (description). @default - none, required */
  instanceName: string;
  /**
   * Prefix of the private endpoint host name, unique in the region; RDS appends its regional suffix (mocks.ts).
   * @default - none, required
   */
  endpointPrefix: string;
  /** RAM role and policy name through which RDS uses the key, unique in the account. @default - none, required */
  keyRoleName: string;
  /** RDS engine version, `16.0` style (versions.ts). @default - none, required */
  engineVersion: string;
  /** Abstract size (sizes.ts). @default - none, required */
  size: Size;
  /** Storage in GiB. @default - none, required */
  storageGb: number;
  /** High-availability edition with a standby in the second zone and automatic failover. @default - none, required */
  highAvailability: boolean;
  /** Days of data and log backups. @default - none, required */
  backupRetentionDays: number;
  /** Refuse to release the instance until turned off. @default - none, required */
  deletionProtection: boolean;
  /** VPC of the instance. @default - none, required */
  vpcId: pulumi.Input<string>;
  /** VPC range: the only source the IP whitelist and pg_hba admit. @default - none, required */
  vpcCidr: string;
  /**
   * Zones of the database vSwitches, in order; the primary goes to the first, the standby to the second.
   * @default - none, required
   */
  zones: string[];
  /** Database-tier vSwitches, one per zone, in zone order. @default - none, required */
  vswitchIds: pulumi.Input<string>[];
  /** Security group that admits PostgreSQL from the node tier. @default - none, required */
  securityGroupId: pulumi.Input<string>;
  /** KMS key id that encrypts the cloud disks. @default - none, required */
  keyId: pulumi.Input<string>;
  /** KMS key resource name, for the RDS role's policy. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Tags for every resource. @default - none, required */
  tags: Record<string, string>;
  /** Application database. @default "ejabberd" */
  databaseName?: string;
  /** Admin account. @default "warbler_admin" */
  username?: string;
  /**
   * Server parameters beside the connection audit ones, which they may not change (failover sets `wal_level=logical`
   * here).
   * @default []
   */
  parameters?: RdsParameter[];
  /** Days the SQL audit log (SQL Explorer) is kept: 30, 180, 365, 1095 or 1825. @default 365 */
  sqlAuditDays?: 30 | 180 | 365 | 1095 | 1825;
  /**
   * PEM of the ApsaraDB CA chain (apsaraDbCaChainUrl), checked by the config schema.
   * @default - none: clients fail closed until it is set
   */
  caBundle?: string;
}

/** Connection auditing every instance gets: who connected from where, and for how long. */
export const auditParameters: readonly RdsParameter[] = [
  { name: "log_connections", value: "on" },
  { name: "log_disconnections", value: "on" },
  // How long each statement ran (CIS PostgreSQL 3.1.x; MLPS audit of database activity).
  { name: "log_duration", value: "on" },
];

/**
 * The instance's server parameters: the audit ones, then `extra`. Throws once,
 * naming every extra parameter that changes an audit setting or repeats a name.
 */
export function serverParameters(
  extra: readonly RdsParameter[],
  subject = "invalid database parameters",
): RdsParameter[] {
  const check = new ArgumentChecks(subject);
  const names = new Set<string>();
  extra.forEach((p, i) => {
    const audit = auditParameters.find((a) => a.name === p.name);
    if (audit && audit.value !== p.value)
      check.add(`parameters[${i}].value`, p.value, `must not change the audit setting ${audit.name}=${audit.value}`);
    if (names.has(p.name))
      check.add(`parameters[${i}].name`, p.name, `sets ${p.name} a second time; give each parameter once`);
    names.add(p.name);
  });
  check.throwIfAny(Error);
  const own = extra.filter((p) => !auditParameters.some((a) => a.name === p.name));
  // Only name and value: RDS takes nothing else per parameter.
  return [...auditParameters, ...own].map(({ name, value }) => ({ name, value }));
}

/**
 * pg_hba rules: SSL connections from the VPC only, everything else refused
 * (first match wins, lowest priority id first). `md5` also accepts
 * SCRAM-hashed passwords.
 */
export function tlsOnlyHbaRules(vpcCidr: string) {
  return [
    { priorityId: 0, type: "hostnossl", database: "all", user: "all", address: "0.0.0.0/0", method: "reject" },
    { priorityId: 1, type: "hostssl", database: "all", user: "all", address: vpcCidr, method: "md5" },
  ];
}

/**
 * ApsaraDB RDS for PostgreSQL: cloud disks encrypted with the stack's key
 * (RDS reaches the key through a RAM role scoped to it), SSL with the cloud
 * certificate and pg_hba refusing non-SSL connections, reachable only from
 * the VPC (no public endpoint is ever created), a standby in a second zone
 * when HA, backups and log backups for the configured days, SQL audit and connection logging on.
 */
export class AlicloudDatabase extends pulumi.ComponentResource {
  readonly outputs: DatabaseOutputs;
  readonly instanceId: pulumi.Output<string>;

  constructor(name: string, args: AlicloudDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:Database", name, {}, opts);
    const databaseName = args.databaseName ?? "ejabberd";
    const username = args.username ?? "warbler_admin";
    const ha = args.highAvailability;
    const parameters = serverParameters(args.parameters ?? [], `invalid AlicloudDatabase '${name}'`);

    const keyRole = new Role(
      `${name}-kms-role`,
      {
        roleName: args.keyRoleName,
        description: "ApsaraDB RDS encrypts Warbler's database disks with the stack key",
        assumeRolePolicyDocument: serviceTrustPolicy("rds.aliyuncs.com"),
        tags: args.tags,
      },
      { parent: this },
    );
    const keyPolicy = new Policy(
      `${name}-kms-policy`,
      {
        policyName: args.keyRoleName,
        description: "Use of the Warbler key by ApsaraDB RDS",
        policyDocument: pulumi.output(args.keyArn).apply(rdsKeyPolicy),
        tags: args.tags,
      },
      { parent: this },
    );
    const keyGrant = new RolePolicyAttachment(
      `${name}-kms`,
      { roleName: keyRole.roleName, policyName: keyPolicy.policyName, policyType: "Custom" },
      { parent: this },
    );

    // RDS password rules: 8-32 characters from at least three classes; these specials are all accepted.
    const password = new RandomPassword(
      `${name}-password`,
      { length: 32, minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 2, overrideSpecial: "!#%^*_+-=" },
      { parent: this },
    );

    const machine = databaseMachine(args.size, ha);
    if (!machine) {
      throw new Error(
        `invalid AlicloudDatabase '${name}': size '${args.size}' has no dedicated Basic-edition class; ` +
          "a customer key needs a dedicated class (sizes.ts)",
      );
    }
    const instance = new Instance(
      `${name}-pg`,
      {
        instanceName: args.instanceName,
        engine: "PostgreSQL",
        engineVersion: args.engineVersion,
        instanceType: machine.type,
        category: databaseCategory(ha),
        instanceStorage: args.storageGb,
        dbInstanceStorageType: "cloud_essd",
        instanceChargeType: "Postpaid",
        vpcId: args.vpcId,
        // A multi-zone instance takes one vSwitch per zone, comma-separated, in the order of zoneId, zoneIdSlaveA.
        vswitchId: ha ? pulumi.interpolate`${args.vswitchIds[0]},${args.vswitchIds[1]}` : args.vswitchIds[0],
        zoneId: args.zones[0],
        ...(ha ? { zoneIdSlaveA: args.zones[1], haConfig: "Auto" } : {}),
        connectionStringPrefix: args.endpointPrefix,
        securityIps: [args.vpcCidr],
        securityGroupIds: [args.securityGroupId],
        encryptionKey: args.keyId,
        roleArn: keyRole.arn,
        sslAction: "Open",
        // A cloud certificate: valid 365 days and renewed by Alibaba Cloud before it expires, with a notice by mail
        // (https://www.alibabacloud.com/help/en/rds/apsaradb-rds-for-postgresql/configure-ssl-encryption-for-an-
        // apsaradb-rds-for-postgresql-instance, "Certificate renewal"); clients keep verifying it against the chain.
        caType: "aliyun",
        // No sslConnectionString: the provider then certifies the instance's own internal connection string
        // (terraform-provider-alicloud resource_alicloud_db_instance.go, `request["ConnectionString"] =
        // instance["ConnectionString"]`), whose domain differs by region (mocks.ts).
        pgHbaConfs: tlsOnlyHbaRules(args.vpcCidr),
        parameters,
        sqlCollectorStatus: "Enabled",
        sqlCollectorConfigValue: args.sqlAuditDays ?? 365,
        deletionProtection: args.deletionProtection,
        autoUpgradeMinorVersion: "Auto",
        storageAutoScale: "Enable",
        storageThreshold: 20,
        storageUpperBound: Math.min(args.storageGb * 4, 32000),
        tags: args.tags,
      },
      { parent: this, dependsOn: [keyGrant], additionalSecretOutputs: ["serverKey", "sslPassword"] },
    );

    new BackupPolicy(
      `${name}-backup`,
      {
        instanceId: instance.id,
        backupRetentionPeriod: args.backupRetentionDays,
        preferredBackupPeriods: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        preferredBackupTime: "02:00Z-03:00Z",
        enableBackupLog: true,
        logBackupRetentionPeriod: args.backupRetentionDays,
        highSpaceUsageProtection: "Enable",
      },
      { parent: this },
    );
    const account = new RdsAccount(
      `${name}-admin`,
      {
        dbInstanceId: instance.id,
        accountName: username,
        accountPassword: password.result,
        accountType: "Super",
        accountDescription: "Warbler admin",
      },
      { parent: this },
    );

    const database = new Database(
      `${name}-db`,
      { instanceId: instance.id, dataBaseName: databaseName, characterSet: "UTF8" },
      // After the admin account, so the privileged account exists when RDS creates the database and can own it and
      // its `public` schema, where ejabberd creates its tables: PostgreSQL 15+ grants CREATE on `public` only to
      // the database owner (postgresql.org/docs/15/release-15.html). Owner semantics: docs/alicloud.md, Not yet
      // verified.
      { parent: this, dependsOn: [account] },
    );
    this.instanceId = instance.id;
    this.outputs = {
      host: instance.connectionString,
      port: instance.port.apply(Number),
      database: database.dataBaseName,
      username: account.accountName,
      password: pulumi.secret(password.result),
      sslMode: "verify-full",
      // Without the operator's copy of the chain, verify-full fails closed rather than trusting anything.
      caBundle: pulumi.output(args.caBundle ?? ""),
    };
    if (args.caBundle === undefined) {
      pulumi.log.warn(
        "warbler:database.caBundle is not set: ejabberd verifies the database certificate and will not connect " +
          `until it is. Download ${apsaraDbCaChainUrl}, unzip it, then: ` +
          `pulumi config set --path warbler:database.caBundle -- "$(cat ApsaraDB-CA-Chain.pem)"`,
        this,
      );
    }
    this.registerOutputs({ instanceId: instance.id, host: instance.connectionString, caBundleUrl: apsaraDbCaChainUrl });
  }
}
