import type { WarblerResourcePolicy } from "../../policy";
import { isOn, isSet } from "../../props";

/** What each cloud's disk CSI driver needs to encrypt volumes with a customer-managed key. */
const drivers: Record<string, (p: Record<string, unknown>) => string | undefined> = {
  "ebs.csi.aws.com": (p) =>
    !isOn(p.encrypted)
      ? 'parameters.encrypted is not "true"'
      : !isSet(p.kmsKeyId)
        ? "parameters.kmsKeyId is not set"
        : undefined,
  "disk.csi.azure.com": (p) =>
    !isSet(p.diskEncryptionSetID) ? "parameters.diskEncryptionSetID is not set" : undefined,
  "diskplugin.csi.alibabacloud.com": (p) =>
    !isOn(p.encrypted)
      ? 'parameters.encrypted is not "true"'
      : !isSet(p.kmsKeyId)
        ? "parameters.kmsKeyId is not set"
        : undefined,
};

export const k8sEncryptedStorageClasses: WarblerResourcePolicy = {
  id: "kubernetes-storage-class-encryption",
  name: "StorageClasses encrypt volumes with the platform key",
  target: "kubernetes",
  what:
    "Every StorageClass the stack creates must use a cloud disk CSI driver (AWS EBS, Azure Disk or Alibaba " +
    "Cloud disk) with encryption by the customer-managed platform key.",
  why:
    "Persistent volumes hold ejabberd's spool and uploads before they reach object storage. A class without the " +
    "key creates disks encrypted only with a provider key, or not at all.",
  fix:
    'AWS: parameters encrypted "true" and kmsKeyId; Azure: parameters diskEncryptionSetID; Alibaba: parameters ' +
    'encrypted "true" and kmsKeyId (the Warbler kits create the class this way).',
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "PCI-3.5.1", "GDPR-32", "MLPS-8.1.4.8"],
  resourceTypes: ["kubernetes:storage.k8s.io/v1:StorageClass"],
  validateResource: (args, report) => {
    if (args.type !== "kubernetes:storage.k8s.io/v1:StorageClass") return args.notApplicable("not a StorageClass");
    const provisioner = String(args.props.provisioner);
    const check = drivers[provisioner];
    if (!check)
      return report(
        `provisioner '${provisioner}' is not a disk driver whose encryption this pack can verify; ` +
          `use ${Object.keys(drivers).join(", ")}`,
      );
    const problem = check(args.props.parameters ?? {});
    if (problem) report(problem);
  },
};
