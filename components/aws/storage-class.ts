import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { StorageClass } from "@pulumi/kubernetes/storage/v1";
import * as pulumi from "@pulumi/pulumi";

export interface AwsStorageClassArgs {
  /** Name of the StorageClass. @default "encrypted-gp3" */
  className?: string;
  /** Key ARN every volume is encrypted with. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Provider of the cluster. @default - none, required */
  provider: KubernetesProvider;
  /** Resources the EBS CSI driver needs first (its add-on). @default [] */
  dependsOn?: pulumi.Resource[];
}

/**
 * The cluster's default StorageClass: gp3 volumes from the EBS CSI driver,
 * encrypted with the stack's key, bound once the pod's zone is known.
 */
export class AwsStorageClass extends pulumi.ComponentResource {
  readonly className: string;

  constructor(name: string, args: AwsStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:StorageClass", name, {}, opts);
    this.className = args.className ?? "encrypted-gp3";
    new StorageClass(
      `${name}-class`,
      {
        metadata: { name: this.className, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", kmsKeyId: args.keyArn, "csi.storage.k8s.io/fstype": "ext4" },
        reclaimPolicy: "Delete",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
      },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ className: this.className });
  }
}
