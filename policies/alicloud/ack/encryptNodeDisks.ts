import type { NodePoolArgs } from "@pulumi/alicloud/cs";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isOn, isSet } from "../../props";

export const alicloudAckNodeDiskEncryption: WarblerResourcePolicy = {
  id: "alicloud-ack-node-disk-encryption",
  name: "ACK node disks are encrypted with a customer-managed key",
  target: "alicloud",
  what:
    "Every ACK node pool must encrypt its system disk and every data disk with a customer-managed KMS key. " +
    "(Checkov CKV_ALI_7/CKV_ALI_8, InfraGuard ecs-disk-all-encrypted-by-kms.)",
  why:
    "Node disks hold container images, logs and emptyDir volumes, which can include message data in transit " +
    "through the IM server.",
  fix:
    "Set 'systemDiskEncrypted: true' and 'systemDiskKmsKey', and on each 'dataDisks' entry 'encrypted: " +
    "\"true\"' and 'kmsKeyId', to the platform key (the Warbler Alibaba kit does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "PCI-3.5.1", "GDPR-32", "CIS-ALI-DISK-ENCRYPTION", "MLPS-8.1.4.8"],
  resourceTypes: ["alicloud:cs/nodePool:NodePool"],
  validateResource: forTypes<NodePoolArgs>(["alicloud:cs/nodePool:NodePool"], (pool, _args, report) => {
    if (pool.systemDiskEncrypted !== true) report("systemDiskEncrypted is not true");
    else if (!isSet(pool.systemDiskKmsKey))
      report("systemDiskKmsKey is not set; the system disk uses the default service key");
    (pool.dataDisks ?? []).forEach((d, i) => {
      if (!isOn(d.encrypted)) report(`dataDisks[${i}] is not encrypted`);
      else if (!isSet(d.kmsKeyId)) report(`dataDisks[${i}] has no kmsKeyId`);
    });
  }),
};
