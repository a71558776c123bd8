import { DiskEncryptionSet } from "@pulumi/azure-native/compute/diskEncryptionSet";
import * as pulumi from "@pulumi/pulumi";
import type { AzurePlacement } from "./placement";

export interface AzureDiskEncryptionArgs extends AzurePlacement {
  /** Versioned key URI (a disk encryption set requires the version). @default - none, required */
  keyUriWithVersion: pulumi.Input<string>;
  /** Resource id of the vault holding the key. @default - none, required */
  vaultId: pulumi.Input<string>;
  /** User-assigned identity with Key Vault Crypto Service Encryption User on the key. @default - none, required */
  identityId: pulumi.Input<string>;
}

/**
 * The disk encryption set that makes managed disks (AKS node OS disks and
 * the StorageClass's volumes) use the customer-managed key. It follows key
 * rotation by itself.
 */
export class AzureDiskEncryption extends pulumi.ComponentResource {
  readonly id: pulumi.Output<string>;

  constructor(name: string, args: AzureDiskEncryptionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:DiskEncryption", name, {}, opts);
    const set = new DiskEncryptionSet(
      `${name}-des`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        encryptionType: "EncryptionAtRestWithCustomerKey",
        activeKey: { keyUrl: args.keyUriWithVersion, sourceVault: { id: args.vaultId } },
        rotationToLatestKeyVersionEnabled: true,
        identity: { type: "UserAssigned", userAssignedIdentities: [args.identityId] },
      },
      { parent: this },
    );
    this.id = set.id;
    this.registerOutputs({ id: this.id });
  }
}
