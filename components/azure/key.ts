import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { Key } from "@pulumi/azure-native/keyvault/key";
import { Vault } from "@pulumi/azure-native/keyvault/vault";
import * as pulumi from "@pulumi/pulumi";
import { RandomString } from "@pulumi/random/randomString";
import type { KeyOutputs } from "../contract";
import { roleDefinitionId } from "./permissions";
import type { AzurePlacement } from "./placement";
import { AzurePrivateEndpoint } from "./private-endpoint";
import { afterPropagation } from "./rbac-wait";

/**
 * Automatic rotation of the key: a new version every year (the period AWS KMS
 * and Alibaba KMS rotate at), a notice 30 days before a version expires, and
 * versions valid for two years so the previous one still decrypts.
 */
export const keyRotation = {
  rotateAfter: "P365D",
  notifyBeforeExpiry: "P30D",
  expiry: "P730D",
} as const;

/** Days a deleted vault or key stays recoverable (the maximum Azure allows). */
export const softDeleteDays = 90;

/** Characters of the vault name that are random per stack instance (naming.ts keyVaultName). */
export const vaultInstanceLength = 4;

/**
 * Expiry of the key's first version, in seconds since 1970 as Key Vault's `exp` attribute takes it: the same
 * lifetime the rotation policy gives every later version. The policy's expiry "is used to set expiration date on
 * newly rotated key. It doesn't affect a current key" (https://learn.microsoft.com/en-us/azure/key-vault/keys/
 * how-to-configure-key-rotation), so without this the first version never expires; the policy rotates a year before.
 */
export function firstVersionExpiry(nowMs: number): number {
  const days = Number(/^P(\d+)D$/.exec(keyRotation.expiry)?.[1]);
  return Math.floor(nowMs / 1000) + days * 24 * 60 * 60;
}

export interface AzureKeyArgs extends AzurePlacement {
  /** Globally unique vault name from its random per-instance part (naming.ts). @default - none, required */
  vaultName: (instance: string) => string;
  /** Name of the key in the vault. @default "data" */
  keyName?: string;
  /** Entra tenant of the vault. @default - none, required */
  tenantId: pulumi.Input<string>;
  /** Subnet for the vault's private endpoint (a node subnet). @default - none, required */
  privateEndpointSubnetId: pulumi.Input<string>;
  /** VNet linked to the vault's private DNS zone. @default - none, required */
  virtualNetworkId: pulumi.Input<string>;
  /** Object id of the principal running Pulumi; Crypto Officer on the vault. @default - none, required */
  deployerObjectId: pulumi.Input<string>;
  /** Kind of that principal (config cluster.azurePrincipalType). @default - none, required */
  deployerPrincipalType: "User" | "ServicePrincipal" | "Group";
  /** Subscription of the role definitions. @default - none, required */
  subscriptionId: pulumi.Input<string>;
}

/**
 * The customer-managed key: an HSM-backed RSA 3072 key in a premium Key Vault.
 * Azure services encrypt data with AES-256 data keys and wrap those with this
 * key. The vault authorises with Azure RBAC only (no access policies), keeps
 * deleted keys 90 days and cannot be purged early, and refuses public network
 * access: workloads use its private endpoint, and the CMK consumers (disks,
 * storage, PostgreSQL) reach it as trusted Azure services. AKS's KMS plugin
 * runs in private mode (see cluster.ts), so no firewall exception is needed.
 */
export class AzureKey extends pulumi.ComponentResource {
  /**
   * `id` is the versionless key URI, which consumers that follow rotation by
   * themselves use; `alias` is the key's name in the vault.
   */
  readonly outputs: KeyOutputs;
  /** Vault resource id. */
  readonly vaultId: pulumi.Output<string>;
  /** Vault URI, https://<name>.vault.azure.net/. */
  readonly vaultUri: pulumi.Output<string>;
  /** Key resource id (the scope for key-level role assignments). */
  readonly keyResourceId: pulumi.Output<string>;
  /** Key URI with the current version: AKS KMS and disk encryption sets need one. */
  readonly keyUriWithVersion: pulumi.Output<string>;

  constructor(name: string, args: AzureKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Key", name, {}, opts);
    // Random per stack instance, kept in state: a re-created stack does not meet its old, purge-protected name.
    const instance = new RandomString(
      `${name}-vault-instance`,
      { length: vaultInstanceLength, lower: true, upper: false, numeric: true, special: false },
      { parent: this },
    );
    const vault = new Vault(
      `${name}-vault`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        vaultName: instance.result.apply(args.vaultName),
        tags: args.tags,
        properties: {
          tenantId: args.tenantId,
          // Premium holds keys in HSMs (FIPS 140-3 level 3).
          sku: { family: "A", name: "premium" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: softDeleteDays,
          enablePurgeProtection: true,
          publicNetworkAccess: "Disabled",
          networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
          enabledForDeployment: false,
          enabledForTemplateDeployment: false,
          enabledForDiskEncryption: false,
        },
      },
      { parent: this },
    );
    // The vault authorises with Azure RBAC only, so the deployer needs a data role to create the key in it.
    const deployer = new RoleAssignment(
      `${name}-deployer-officer`,
      {
        principalId: args.deployerObjectId,
        principalType: args.deployerPrincipalType,
        roleDefinitionId: roleDefinitionId(args.subscriptionId, "keyVaultCryptoOfficer"),
        scope: vault.id,
      },
      { parent: this },
    );
    const key = new Key(
      `${name}-key`,
      {
        resourceGroupName: args.resourceGroupName,
        vaultName: afterPropagation([deployer], vault.name),
        keyName: args.keyName ?? "data",
        tags: args.tags,
        properties: {
          kty: "RSA-HSM",
          keySize: 3072,
          keyOps: ["wrapKey", "unwrapKey", "encrypt", "decrypt"],
          attributes: { enabled: true, expires: firstVersionExpiry(Date.now()) },
          rotationPolicy: {
            attributes: { expiryTime: keyRotation.expiry },
            lifetimeActions: [
              { action: { type: "rotate" }, trigger: { timeAfterCreate: keyRotation.rotateAfter } },
              { action: { type: "notify" }, trigger: { timeBeforeExpiry: keyRotation.notifyBeforeExpiry } },
            ],
          },
        },
      },
      // The expiry is fixed when the key is created; later runs must not try to move it.
      { parent: this, ignoreChanges: ["properties.attributes.expires"] },
    );
    new AzurePrivateEndpoint(
      `${name}-pe`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        targetId: vault.id,
        groupId: "vault",
        zoneName: "privatelink.vaultcore.azure.net",
        subnetId: args.privateEndpointSubnetId,
        virtualNetworkId: args.virtualNetworkId,
      },
      { parent: this },
    );

    this.vaultId = vault.id;
    this.vaultUri = vault.properties.apply((p) => p.vaultUri ?? "");
    this.keyResourceId = key.id;
    this.keyUriWithVersion = key.keyUriWithVersion;
    this.outputs = { id: key.keyUri, alias: key.name };
    this.registerOutputs({ vaultId: this.vaultId, keyUri: key.keyUri, keyName: key.name });
  }
}
