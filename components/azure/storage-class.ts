import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { StorageClass } from "@pulumi/kubernetes/storage/v1/storageClass";
import * as pulumi from "@pulumi/pulumi";

export interface AzureStorageClassArgs {
  /** Disk encryption set holding the customer-managed key. @default - none, required */
  diskEncryptionSetId: pulumi.Input<string>;
  /** The cluster's Kubernetes provider. @default - none, required */
  provider: KubernetesProvider;
  /** Name of the class. @default "warbler-encrypted" */
  className?: string;
}

/**
 * The default StorageClass: Azure Disk CSI, zone-redundant premium SSD,
 * encrypted with the customer-managed key through the disk encryption set.
 * AKS's built-in "default" class stays marked default too; Kubernetes picks
 * the newest default class, which is this one.
 */
export class AzureStorageClass extends pulumi.ComponentResource {
  readonly className: string;

  constructor(name: string, args: AzureStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:StorageClass", name, {}, opts);
    this.className = args.className ?? "warbler-encrypted";
    new StorageClass(
      `${name}-class`,
      {
        metadata: { name: this.className, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "disk.csi.azure.com",
        parameters: {
          // ZRS: a volume survives its zone, so a rescheduled pod can mount it in another zone.
          skuName: "Premium_ZRS",
          diskEncryptionSetID: args.diskEncryptionSetId,
          diskEncryptionType: "EncryptionAtRestWithCustomerKey",
          cachingMode: "ReadOnly",
        },
        reclaimPolicy: "Retain",
        allowVolumeExpansion: true,
        volumeBindingMode: "WaitForFirstConsumer",
      },
      { parent: this, provider: args.provider },
    );
    this.registerOutputs({ className: this.className });
  }
}
