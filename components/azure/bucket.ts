import type { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { BlobContainer } from "@pulumi/azure-native/storage/blobContainer";
import { BlobServiceProperties } from "@pulumi/azure-native/storage/blobServiceProperties";
import { ManagementPolicy } from "@pulumi/azure-native/storage/managementPolicy";
import { StorageAccount } from "@pulumi/azure-native/storage/storageAccount";
import type * as inputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import type { BucketOutputs } from "../contract";
import type { AzurePlacement } from "./placement";
import { AzurePrivateEndpoint } from "./private-endpoint";
import { afterPropagation } from "./rbac-wait";

/** Most days Azure keeps soft-deleted blobs. */
const MAX_SOFT_DELETE_DAYS = 365;

export interface AzureBucketArgs extends AzurePlacement {
  /** Globally unique storage account name (naming.ts storageAccountName). @default - none, required */
  accountName: string;
  /** Container for uploaded files. @default "uploads" */
  containerName?: string;
  /** Vault URI of the customer-managed key. @default - none, required */
  vaultUri: pulumi.Input<string>;
  /** Name of the key; no version, so the account follows rotation. @default - none, required */
  keyName: pulumi.Input<string>;
  /** User-assigned identity with Key Vault Crypto Service Encryption User on the key. @default - none, required */
  identity: { id: pulumi.Input<string> };
  /** Grants the account's identity depends on. @default - none, required */
  identityGrants: RoleAssignment[];
  /** Days an overwritten or deleted version is kept (config storage.noncurrentVersionDays). @default 30 */
  noncurrentVersionDays?: number;
  /** Days after which files are deleted; 0 keeps them (config storage.expireAfterDays). @default 0 */
  expireAfterDays?: number;
  /** Subnet for the blob private endpoint. @default - none, required */
  privateEndpointSubnetId: pulumi.Input<string>;
  /** VNet linked to the blob private DNS zone. @default - none, required */
  virtualNetworkId: pulumi.Input<string>;
}

/** The lifecycle rules the config asks for, in Azure's management policy shape. */
export function lifecycleRules(
  noncurrentVersionDays: number,
  expireAfterDays: number,
): inputs.storage.ManagementPolicyRuleArgs[] {
  return [
    {
      name: "expire-noncurrent-versions",
      enabled: true,
      type: "Lifecycle",
      definition: {
        filters: { blobTypes: ["blockBlob"] },
        actions: { version: { delete: { daysAfterCreationGreaterThan: noncurrentVersionDays } } },
      },
    },
    ...(expireAfterDays > 0
      ? [
          {
            name: "expire-files",
            enabled: true,
            type: "Lifecycle",
            definition: {
              filters: { blobTypes: ["blockBlob"] },
              actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: expireAfterDays } } },
            },
          },
        ]
      : []),
  ];
}

/**
 * A StorageV2 account and private container for uploaded files: encrypted
 * with the customer-managed key (plus platform infrastructure encryption),
 * HTTPS and TLS 1.2+ only, no anonymous blob access, no shared keys (Entra
 * ID only), no public network access (a private endpoint in the VNet), blob
 * versioning and soft delete, and lifecycle rules from config.
 */
export class AzureBucket extends pulumi.ComponentResource {
  /** `name` is the container; `account` the storage account that holds it. */
  readonly outputs: BucketOutputs;
  readonly accountId: pulumi.Output<string>;
  /** Resource id of the container (the scope of the workload's data role). */
  readonly containerId: pulumi.Output<string>;

  constructor(name: string, args: AzureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Bucket", name, {}, opts);
    const noncurrentDays = args.noncurrentVersionDays ?? 30;
    const expireDays = args.expireAfterDays ?? 0;
    // The account checks its identity's access to the key when it is created: wait for the grant to propagate.
    const identityId = afterPropagation(args.identityGrants, args.identity.id);
    const account = new StorageAccount(
      `${name}-account`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        accountName: args.accountName,
        tags: args.tags,
        kind: "StorageV2",
        // Zone-redundant, like the rest of the platform.
        sku: { name: "Standard_ZRS" },
        accessTier: "Hot",
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        allowCrossTenantReplication: false,
        publicNetworkAccess: "Disabled",
        networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
        identity: { type: "UserAssigned", userAssignedIdentities: [identityId] },
        encryption: {
          keySource: "Microsoft.Keyvault",
          keyVaultProperties: { keyVaultUri: args.vaultUri, keyName: args.keyName },
          encryptionIdentity: { encryptionUserAssignedIdentity: identityId },
          requireInfrastructureEncryption: true,
          services: { blob: { enabled: true, keyType: "Account" }, file: { enabled: true, keyType: "Account" } },
        },
      },
      { parent: this },
    );
    const service = new BlobServiceProperties(
      `${name}-blob-service`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: account.name,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: Math.min(noncurrentDays, MAX_SOFT_DELETE_DAYS) },
        containerDeleteRetentionPolicy: { enabled: true, days: Math.min(noncurrentDays, MAX_SOFT_DELETE_DAYS) },
      },
      { parent: this },
    );
    new ManagementPolicy(
      `${name}-lifecycle`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: account.name,
        managementPolicyName: "default",
        policy: { rules: lifecycleRules(noncurrentDays, expireDays) },
      },
      { parent: this, dependsOn: [service] },
    );
    const container = new BlobContainer(
      `${name}-container`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: account.name,
        containerName: args.containerName ?? "uploads",
        publicAccess: "None",
      },
      { parent: this, dependsOn: [service] },
    );
    new AzurePrivateEndpoint(
      `${name}-pe`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        targetId: account.id,
        groupId: "blob",
        zoneName: "privatelink.blob.core.windows.net",
        subnetId: args.privateEndpointSubnetId,
        virtualNetworkId: args.virtualNetworkId,
      },
      { parent: this },
    );

    this.accountId = account.id;
    this.containerId = container.id;
    this.outputs = {
      name: container.name,
      endpoint: account.primaryEndpoints.apply((e) => e.blob),
      region: args.location,
      protocol: "azure-blob",
      account: account.name,
    };
    this.registerOutputs({ accountName: account.name, containerName: container.name, endpoint: this.outputs.endpoint });
  }
}
