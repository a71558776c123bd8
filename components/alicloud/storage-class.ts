import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { StorageClass } from "@pulumi/kubernetes/storage/v1";
import * as pulumi from "@pulumi/pulumi";

export interface AlicloudStorageClassArgs {
  /** KMS key id every volume is encrypted with. @default - none, required */
  keyId: pulumi.Input<string>;
  /** Provider of the cluster. @default - none, required */
  provider: KubernetesProvider;
  /** Name of the StorageClass. @default "warbler-encrypted" */
  className?: string;
  /** ESSD performance level: PL0 to PL3. @default "PL1" */
  performanceLevel?: "PL0" | "PL1" | "PL2" | "PL3";
}

/**
 * The cluster's default StorageClass: ESSD cloud disks through the Alibaba
 * Cloud disk CSI driver, encrypted with the stack's key, created in the zone
 * of the pod that first uses them, kept when the claim is deleted.
 */
export class AlicloudStorageClass extends pulumi.ComponentResource {
  readonly className: string;

  constructor(name: string, args: AlicloudStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:StorageClass", name, {}, opts);
    this.className = args.className ?? "warbler-encrypted";
    new StorageClass(
      `${name}-class`,
      {
        metadata: { name: this.className, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "diskplugin.csi.alibabacloud.com",
        parameters: {
          type: "cloud_essd",
          performanceLevel: args.performanceLevel ?? "PL1",
          fstype: "ext4",
          encrypted: "true",
          kmsKeyId: args.keyId,
        },
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
      },
      { parent: this, provider: args.provider },
    );
    this.registerOutputs({ className: this.className });
  }
}
