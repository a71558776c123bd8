import { Key } from "@pulumi/azure-native/keyvault/key";
import { Vault } from "@pulumi/azure-native/keyvault/vault";
import * as pulumi from "@pulumi/pulumi";
import type { KeyOutputs } from "../contract";
import type { AzurePlacement } from "./placement";
import { AzurePrivateEndpoint } from "./private-endpoint";

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

export interface AzureKeyArgs extends AzurePlacement {
  /** Globally unique vault name (naming.ts keyVaultName). @default - none, required */
  vaultName: string;
  /** Name of the key in the vault. @default "data" */
  keyName?: string;
  /** Entra tenant of the vault. @default - none, required */
  tenantId: pulumi.Input<string>;
  /** Subnet for the vault's private endpoint (a node subnet). @default - none, required */
  privateEndpointSubnetId: pulumi.Input<string>;
  /** VNet linked to the vault's private DNS zone. @default - none, required */
  virtualNetworkId: pulumi.Input<string>;
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
    const vault = new Vault(
      `${name}-vault`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        vaultName: args.vaultName,
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
    const key = new Key(
      `${name}-key`,
      {
        resourceGroupName: args.resourceGroupName,
        vaultName: vault.name,
        keyName: args.keyName ?? "data",
        tags: args.tags,
        properties: {
          kty: "RSA-HSM",
          keySize: 3072,
          keyOps: ["wrapKey", "unwrapKey", "encrypt", "decrypt"],
          attributes: { enabled: true },
          rotationPolicy: {
            attributes: { expiryTime: keyRotation.expiry },
            lifetimeActions: [
              { action: { type: "rotate" }, trigger: { timeAfterCreate: keyRotation.rotateAfter } },
              { action: { type: "notify" }, trigger: { timeBeforeExpiry: keyRotation.notifyBeforeExpiry } },
            ],
          },
        },
      },
      { parent: this },
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
