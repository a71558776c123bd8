import type { PolicyResource } from "@pulumi/policy";
import type { WarblerStackPolicy } from "../../policy";
import { isSet, refersTo, stringLeaves } from "../../props";

/** Key resource types, per cloud, that can encrypt the platform's data. */
const keyTypes = ["aws:kms/key:Key", "aws:kms/alias:Alias", "azure-native:keyvault:Key", "alicloud:kms/key:Key"];

interface Encrypted {
  type: string;
  /** The top-level input holding the key reference. */
  prop: string;
  /** The key reference inside that input, when one is set. */
  keyRef: (props: Record<string, any>) => unknown;
}

/** Every resource that stores platform data encrypted with a customer-managed key, and where it names the key. */
export const encryptedResources: readonly Encrypted[] = [
  { type: "aws:rds/instance:Instance", prop: "kmsKeyId", keyRef: (p) => p.kmsKeyId },
  { type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", prop: "rules", keyRef: (p) => (p.rules ?? []).map((r: any) => r.applyServerSideEncryptionByDefault?.kmsMasterKeyId).filter(isSet) },
  { type: "aws:eks/cluster:Cluster", prop: "encryptionConfig", keyRef: (p) => p.encryptionConfig?.provider?.keyArn },
  { type: "aws:ec2/launchTemplate:LaunchTemplate", prop: "blockDeviceMappings", keyRef: (p) => (p.blockDeviceMappings ?? []).map((m: any) => m.ebs?.kmsKeyId).filter(isSet) },
  { type: "azure-native:dbforpostgresql:Server", prop: "dataEncryption", keyRef: (p) => p.dataEncryption?.primaryKeyURI },
  { type: "azure-native:storage:StorageAccount", prop: "encryption", keyRef: (p) => p.encryption?.keyVaultProperties?.keyName },
  { type: "azure-native:containerservice:ManagedCluster", prop: "securityProfile", keyRef: (p) => p.securityProfile?.azureKeyVaultKms?.keyId },
  { type: "azure-native:compute:DiskEncryptionSet", prop: "activeKey", keyRef: (p) => p.activeKey?.keyUrl },
  { type: "alicloud:rds/instance:Instance", prop: "encryptionKey", keyRef: (p) => p.encryptionKey },
  { type: "alicloud:oss/bucket:Bucket", prop: "serverSideEncryptionRule", keyRef: (p) => p.serverSideEncryptionRule?.kmsMasterKeyId },
  { type: "alicloud:oss/bucketServerSideEncryption:BucketServerSideEncryption", prop: "kmsMasterKeyId", keyRef: (p) => p.kmsMasterKeyId },
  { type: "alicloud:cs/managedKubernetes:ManagedKubernetes", prop: "encryptionProviderKey", keyRef: (p) => p.encryptionProviderKey },
  { type: "alicloud:cs/nodePool:NodePool", prop: "systemDiskKmsKey", keyRef: (p) => p.systemDiskKmsKey },
];

/** True when `r` names `key`; an Azure storage account names its key by keyName, which matches the Key's own keyName. */
function usesKey(r: PolicyResource, e: Encrypted, key: PolicyResource, keys: readonly PolicyResource[]): boolean {
  if (refersTo(r, e.prop, key)) return true;
  if (key.type === "azure-native:keyvault:Key" && e.type === "azure-native:storage:StorageAccount") {
    return isSet(key.props.keyName) && key.props.keyName === e.keyRef(r.props);
  }
  // An alias counts when it points at a key of this stack.
  if (key.type === "aws:kms/alias:Alias") return refersTo(r, e.prop, key) && keys.some((k) => k.type === "aws:kms/key:Key" && refersTo(key, "targetKeyId", k));
  return false;
}

export const stackKeysInStack: WarblerStackPolicy = {
  id: "stack-encryption-keys-in-stack",
  name: "All platform data is encrypted with a key this stack creates",
  target: "stack",
  what: "Every database, bucket or storage account, cluster secret store and disk encryption setting in the stack must use a customer-managed key that is created in the same stack, not a key from elsewhere.",
  why: "A key created with the platform is rotated, protected from deletion and access-controlled by this pack's other policies. A key from another stack or account escapes those checks, and whoever controls it controls the data.",
  fix: "Point the encryption setting at the kit's key output (the Warbler kits wire the platform key into every encrypted resource); do not paste key ids or ARNs from other stacks.",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "ISO27001-A.5.23", "SOC2-CC6.1", "PCI-3.5.1", "PCI-3.6.1", "GDPR-32", "MLPS-8.1.4.8"],
  resourceTypes: [...keyTypes, ...encryptedResources.map((e) => e.type)],
  validateStack: (args, report) => {
    const keys = args.resources.filter((r) => keyTypes.includes(r.type));
    let checked = 0;
    for (const e of encryptedResources) {
      for (const r of args.resources.filter((x) => x.type === e.type)) {
        const refs = stringLeaves(e.keyRef(r.props));
        if (refs.length === 0) continue;
        checked++;
        if (!keys.some((k) => usesKey(r, e, k, keys))) {
          report(`'${r.name}' is encrypted with ${refs.join(", ")}, which is not a key created in this stack`, r.urn);
        }
      }
    }
    if (checked === 0) args.notApplicable("no resource in the stack names an encryption key");
  },
};
