import { ManagementLockByScope } from "@pulumi/azure-native/authorization/managementLockByScope";
import type { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { Configuration } from "@pulumi/azure-native/dbforpostgresql/configuration";
import { Database } from "@pulumi/azure-native/dbforpostgresql/database";
import { Server } from "@pulumi/azure-native/dbforpostgresql/server";
import { PrivateZone } from "@pulumi/azure-native/privatedns/privateZone";
import { VirtualNetworkLink } from "@pulumi/azure-native/privatedns/virtualNetworkLink";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import type { postgresVersions, Size } from "../../config/clouds";
import { ArgumentChecks } from "../../lib/check";
import type { DatabaseOutputs } from "../contract";
import { postgresCaBundle } from "./ca-bundle";
import type { AzurePlacement } from "./placement";
import { afterPropagation } from "./rbac-wait";
import { databaseSizes, databaseTier, flexibleServerStorageGb, flexibleServerStorageSizes } from "./sizes";
import { databaseVersions } from "./versions";

/** Server parameters that make every connection use TLS 1.2 or later. */
export const tlsParameters = {
  require_secure_transport: "ON",
  ssl_min_protocol_version: "TLSv1.2",
} as const;

export interface AzureDatabaseArgs extends AzurePlacement {
  /** Globally unique server name (naming.ts postgresServerName). @default - none, required */
  serverName: string;
  /** PostgreSQL major version, pinned from config (versions.ts). @default - none, required */
  version: (typeof postgresVersions)[number];
  /** Abstract size; sizes.ts maps it to a General Purpose SKU. @default - none, required */
  size: Size;
  /** Storage in GiB; rounded up to the next size Flexible Server offers. @default - none, required */
  storageGb: number;
  /** Zone-redundant standby with automatic failover. @default true */
  highAvailability?: boolean;
  /** Days of automated backups, 7-35. @default 14 */
  backupRetentionDays?: number;
  /** A CanNotDelete lock on the server. @default true */
  deletionProtection?: boolean;
  /** Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers. @default - none, required */
  delegatedSubnetId: pulumi.Input<string>;
  /** VNet linked to the server's private DNS zone. @default - none, required */
  virtualNetworkId: pulumi.Input<string>;
  /** Azure zones: the primary goes in the first, the standby in the second. @default - none, required */
  zones: string[];
  /** Versionless key URI; the server follows key rotation by itself. @default - none, required */
  keyUri: pulumi.Input<string>;
  /** User-assigned identity with Key Vault Crypto Service Encryption User on the key. @default - none, required */
  identity: { id: pulumi.Input<string> };
  /** Grants the server's identity depends on. @default - none, required */
  identityGrants: RoleAssignment[];
  /** Application database name. @default "ejabberd" */
  databaseName?: string;
  /** Admin user name. @default "warbler_admin" */
  adminUser?: string;
  /**
   * Further server parameters (failover sets wal_level=logical and, with HA, what keeps logical slots across an HA
   * failover); the TLS parameters always win. Static ones take effect at the next restart (docs/azure.md).
   * @default {}
   */
  parameters?: Record<string, string>;
}

/**
 * PostgreSQL Flexible Server inside the VNet (delegated subnet, private DNS
 * zone, public network access disabled), storage encrypted with the
 * customer-managed key through a user-assigned identity, TLS 1.2+ required,
 * zone-redundant HA and backup retention from config, a generated admin
 * password kept as a secret, and a delete lock when deletion protection is on.
 */
export class AzureDatabase extends pulumi.ComponentResource {
  /** `caBundle` holds Flexible Server's roots, shipped with the kit (ca-bundle.ts). */
  readonly outputs: DatabaseOutputs;
  readonly id: pulumi.Output<string>;
  /** Server parameters ARM reports as set but waiting for a restart (`isConfigPendingRestart`). */
  readonly restartPending: pulumi.Output<string[]>;

  constructor(name: string, args: AzureDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Database", name, {}, opts);
    const highAvailability = args.highAvailability ?? true;
    const check = new ArgumentChecks(`invalid AzureDatabase '${name}'`);
    const retention = args.backupRetentionDays ?? 14;
    check.require(retention >= 7 && retention <= 35, "backupRetentionDays", retention, "must be 7 to 35");
    check.require(
      !highAvailability || args.zones.length >= 2,
      "highAvailability",
      highAvailability,
      `needs at least 2 zones, got ${args.zones.length}`,
    );
    const maxStorageGb = flexibleServerStorageSizes[flexibleServerStorageSizes.length - 1];
    check.require(!(args.storageGb > maxStorageGb), "storageGb", args.storageGb, `must be at most ${maxStorageGb} GiB`);
    check.throwIfAny(Error);

    const common = { resourceGroupName: args.resourceGroupName, tags: args.tags };
    const zone = new PrivateZone(
      `${name}-dns`,
      { ...common, privateZoneName: `${args.serverName}.private.postgres.database.azure.com`, location: "global" },
      { parent: this },
    );
    const link = new VirtualNetworkLink(
      `${name}-dns-link`,
      {
        ...common,
        privateZoneName: zone.name,
        location: "global",
        virtualNetwork: { id: args.virtualNetworkId },
        registrationEnabled: false,
      },
      { parent: this },
    );
    const password = new RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });
    const adminUser = args.adminUser ?? "warbler_admin";
    const sku = databaseSizes[args.size];
    // The server checks its identity's access to the key when it is created: wait for the grant to propagate.
    const identityId = afterPropagation(args.identityGrants, args.identity.id);

    const server = new Server(
      `${name}-server`,
      {
        ...common,
        location: args.location,
        serverName: args.serverName,
        version: databaseVersions[args.version],
        createMode: "Create",
        sku: { name: sku.type, tier: databaseTier },
        storage: { storageSizeGB: flexibleServerStorageGb(args.storageGb), autoGrow: "Enabled" },
        administratorLogin: adminUser,
        administratorLoginPassword: password.result,
        authConfig: { passwordAuth: "Enabled", activeDirectoryAuth: "Disabled" },
        availabilityZone: args.zones[0],
        highAvailability: highAvailability
          ? { mode: "ZoneRedundant", standbyAvailabilityZone: args.zones[1] }
          : { mode: "Disabled" },
        // Geo-redundant backup would need a second key in the paired region; cross-cloud failover covers region loss.
        backup: { backupRetentionDays: retention, geoRedundantBackup: "Disabled" },
        network: {
          delegatedSubnetResourceId: args.delegatedSubnetId,
          privateDnsZoneArmResourceId: zone.id,
          publicNetworkAccess: "Disabled",
        },
        identity: identityId.apply((id) => ({ type: "UserAssigned", userAssignedIdentities: { [id]: {} } })),
        dataEncryption: {
          type: "AzureKeyVault",
          primaryKeyURI: args.keyUri,
          primaryUserAssignedIdentityId: identityId,
        },
      },
      { parent: this, dependsOn: [link] },
    );

    // Flexible Server applies one parameter change at a time.
    let previous: pulumi.Resource = server;
    const configurations: Configuration[] = [];
    for (const [parameter, value] of Object.entries({ ...args.parameters, ...tlsParameters })) {
      previous = new Configuration(
        `${name}-${parameter.replace(/_/g, "-")}`,
        {
          resourceGroupName: args.resourceGroupName,
          serverName: server.name,
          configurationName: parameter,
          value,
          source: "user-override",
        },
        { parent: this, dependsOn: [previous] },
      );
      configurations.push(previous as Configuration);
    }
    // A static parameter (wal_level, shared_preload_libraries) waits for a restart the stack cannot do.
    const states = pulumi.all(configurations.map((c) => pulumi.all([c.name, c.isConfigPendingRestart])));
    this.restartPending = pulumi.all([states, args.resourceGroupName]).apply(([all, group]) => {
      const pending = all.filter(([, isPending]) => isPending).map(([parameter]) => parameter);
      if (pending.length > 0)
        pulumi.log.warn(
          `${args.serverName}: ${pending.join(", ")} take effect only after a restart: az postgres flexible-server ` +
            `restart --resource-group ${group} --name ${args.serverName} (docs/azure.md, the restart step)`,
          this,
        );
      return pending;
    });
    const databaseName = args.databaseName ?? "ejabberd";
    const database = new Database(
      `${name}-db`,
      {
        resourceGroupName: args.resourceGroupName,
        serverName: server.name,
        databaseName,
        charset: "UTF8",
        collation: "en_US.utf8",
      },
      { parent: this, dependsOn: [previous] },
    );
    if (args.deletionProtection ?? true) {
      new ManagementLockByScope(
        `${name}-lock`,
        {
          scope: server.id,
          level: "CanNotDelete",
          notes: "warbler database.deletionProtection is on; turn it off to delete the server.",
        },
        { parent: this, dependsOn: [database] },
      );
    }

    this.id = server.id;
    this.outputs = {
      host: server.fullyQualifiedDomainName,
      port: pulumi.output(5432),
      database: database.name,
      username: pulumi.output(adminUser),
      password: pulumi.secret(password.result),
      sslMode: "verify-full",
      caBundle: pulumi.output(postgresCaBundle()),
    };
    const { host, username } = this.outputs;
    this.registerOutputs({
      id: this.id,
      host,
      database: database.name,
      username,
      password: this.outputs.password,
      restartPending: this.restartPending,
    });
  }
}
