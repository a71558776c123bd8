/**
 * The pack's registry: every policy with the file it lives in, from which its
 * target and service follow, in the order reports list them. Select from it
 * with `selectPolicies`; policies/index.ts builds the pack from it.
 * test/policy/registry.test.ts fails when a policy file under
 * policies/<target>/<service>/ is missing here or listed twice, or when an
 * entry names a file that does not export its policy.
 */
import { alicloudAckAuditLogging } from "./alicloud/ack/enableAuditLogs";
import { alicloudAckNodeDiskEncryption } from "./alicloud/ack/encryptNodeDisks";
import { alicloudAckSecretsEncryption } from "./alicloud/ack/encryptSecrets";
import { alicloudAckNodePoolHardening } from "./alicloud/ack/hardenNodePools";
import { alicloudAckDeletionProtection } from "./alicloud/ack/protectCluster";
import { alicloudAckPrivateEndpoint } from "./alicloud/ack/restrictApiEndpoint";
import { alicloudSecurityGroupIngress } from "./alicloud/ecs/restrictIngress";
import { alicloudKmsKeyRotation } from "./alicloud/kms/enableKeyRotation";
import { alicloudKmsKeyDeletionProtection } from "./alicloud/kms/protectKeyDeletion";
import { alicloudOssBucketControls } from "./alicloud/oss/attachBucketControls";
import { alicloudOssPrivate } from "./alicloud/oss/blockPublicAccess";
import { alicloudOssEncryption } from "./alicloud/oss/encryptBuckets";
import { alicloudOssVersioningLogging } from "./alicloud/oss/keepVersionsAndLogs";
import { alicloudOssTls } from "./alicloud/oss/requireTls";
import { alicloudRamLeastPrivilege } from "./alicloud/ram/limitRolePrivileges";
import { alicloudRdsNoPublicAccess } from "./alicloud/rds/blockPublicAccess";
import { alicloudRdsAuditing } from "./alicloud/rds/enableAuditing";
import { alicloudRdsEncryption } from "./alicloud/rds/encryptStorage";
import { alicloudRdsDeletionProtection } from "./alicloud/rds/protectDeletion";
import { alicloudRdsHa } from "./alicloud/rds/requireHighAvailability";
import { alicloudRdsSsl } from "./alicloud/rds/requireSsl";
import { alicloudRdsBackupRetention } from "./alicloud/rds/retainBackups";
import { alicloudAllowedRegions } from "./alicloud/regions/allowedRegions";
import { alicloudLogRetention } from "./alicloud/sls/retainLogs";
import { alicloudRequiredTags } from "./alicloud/tags/requireTags";
import { alicloudVpcFlowLogs } from "./alicloud/vpc/requireFlowLogs";
import { alicloudVpnStrongCrypto } from "./alicloud/vpn/requireStrongTunnels";
import { awsLogRetention } from "./aws/cloudwatch/retainLogs";
import { awsDefaultSecurityGroupClosed } from "./aws/ec2/closeDefaultSecurityGroup";
import { awsVpcFlowLogs } from "./aws/ec2/requireFlowLogs";
import { awsEc2Imdsv2 } from "./aws/ec2/requireImdsv2";
import { awsSecurityGroupIngress } from "./aws/ec2/restrictIngress";
import { awsEksAuditLogging } from "./aws/eks/enableAuditLogs";
import { awsNodeDiskEncryption } from "./aws/eks/encryptNodeDisks";
import { awsEksSecretsEncryption } from "./aws/eks/encryptSecrets";
import { awsEksNetworkPolicy } from "./aws/eks/enforceNetworkPolicy";
import { awsEksPrivateEndpoint } from "./aws/eks/restrictApiEndpoint";
import { awsIamRoleNoAdmin } from "./aws/iam/limitRolePrivileges";
import { awsKmsKeyRotation } from "./aws/kms/enableKeyRotation";
import { awsKmsKeyDeletionProtection } from "./aws/kms/protectKeyDeletion";
import { awsRdsNoPublicAccess } from "./aws/rds/blockPublicAccess";
import { awsRdsStorageEncryption } from "./aws/rds/encryptStorage";
import { awsRdsLogExports } from "./aws/rds/exportLogs";
import { awsRdsDeletionProtection } from "./aws/rds/protectDeletion";
import { awsRdsMultiAz } from "./aws/rds/requireMultiAz";
import { awsRdsTls } from "./aws/rds/requireTls";
import { awsRdsBackupRetention } from "./aws/rds/retainBackups";
import { awsAllowedRegions } from "./aws/regions/allowedRegions";
import { awsS3BucketControls } from "./aws/s3/attachBucketControls";
import { awsS3PublicAccess } from "./aws/s3/blockPublicAccess";
import { awsS3Versioning } from "./aws/s3/enableVersioning";
import { awsS3BucketEncryption } from "./aws/s3/encryptBuckets";
import { awsS3TlsOnly } from "./aws/s3/requireTls";
import { awsRequiredTags } from "./aws/tags/requireTags";
import { awsVpnStrongCrypto } from "./aws/vpn/requireStrongTunnels";
import { azureAksEncryptionAtHost } from "./azure/aks/encryptAtHost";
import { azureAksNodeDiskEncryption } from "./azure/aks/encryptNodeDisks";
import { azureAksSecretsEncryption } from "./azure/aks/encryptSecrets";
import { azureAksRbac } from "./azure/aks/requireAadRbac";
import { azureAksAuditLogs } from "./azure/aks/requireAuditLogs";
import { azureAksPrivateApi } from "./azure/aks/restrictApiServer";
import { azureRoleAssignmentLeastPrivilege } from "./azure/authorization/limitRoleAssignments";
import { azureDiskEncryptionSet } from "./azure/compute/configureDiskEncryptionSet";
import { azureKeyVaultRecoverable } from "./azure/keyvault/protectVault";
import { azureKeyVaultNetwork } from "./azure/keyvault/restrictVaultNetwork";
import { azureKeyVaultKeyRotation } from "./azure/keyvault/rotateKeys";
import { azurePostgresPrivate } from "./azure/postgres/blockPublicAccess";
import { azurePostgresCmk } from "./azure/postgres/encryptServer";
import { azurePostgresDeleteLock } from "./azure/postgres/lockServer";
import { azurePostgresHa } from "./azure/postgres/requireHighAvailability";
import { azurePostgresTls } from "./azure/postgres/requireTls";
import { azurePostgresBackupRetention } from "./azure/postgres/retainBackups";
import { azureAllowedRegions } from "./azure/regions/allowedLocations";
import { azureStorageNoPublic } from "./azure/storage/blockPublicAccess";
import { azureStorageCmk } from "./azure/storage/encryptAccount";
import { azureStorageTls } from "./azure/storage/requireTls";
import { azureStorageHardening } from "./azure/storage/restrictKeysAndNetwork";
import { azureRequiredTags } from "./azure/tags/requireTags";
import { azureVpnStrongCrypto } from "./azure/vpn/requireStrongTunnels";
import { catalogue } from "./catalogue";
import { k8sGatewayProxyProtocol } from "./kubernetes/gateway/matchProxyProtocol";
import { k8sGatewayTls } from "./kubernetes/gateway/requireTlsListeners";
import { k8sGatewayAdminAllowList } from "./kubernetes/gateway/restrictAdminRoutes";
import { k8sPodSecurityLabels } from "./kubernetes/namespaces/labelPodSecurity";
import { k8sRequiredLabels } from "./kubernetes/namespaces/requireLabels";
import { k8sNamespaceNetworkPolicy } from "./kubernetes/namespaces/requireNetworkPolicy";
import { k8sNoHostAccess } from "./kubernetes/pods/forbidHostAccess";
import { k8sNoPrivilege } from "./kubernetes/pods/forbidPrivilege";
import { k8sNoPlaintextSecrets } from "./kubernetes/pods/keepSecretsOutOfEnv";
import { k8sPinnedImages } from "./kubernetes/pods/pinImages";
import { k8sReadOnlyRootFs } from "./kubernetes/pods/readOnlyRootFilesystem";
import { k8sRunAsNonRoot } from "./kubernetes/pods/runAsNonRoot";
import { k8sResourceLimits } from "./kubernetes/pods/setResourceLimits";
import { k8sPublicServicePorts } from "./kubernetes/services/limitPublicPorts";
import { k8sEncryptedStorageClasses } from "./kubernetes/storage/encryptStorageClasses";
import { type Severity, severities, type Target, targets, type WarblerPolicy } from "./policy";
import { stackKeysInStack } from "./stack/encryption/useKeysFromStack";

/** A policy's file under policies/, `<target>/<service>/<verbNoun>` without the extension. */
export type PolicyFile = `${Target}/${string}/${string}`;

export interface RegisteredPolicy {
  readonly policy: WarblerPolicy;
  readonly file: PolicyFile;
  /** The first folder of the file: a cloud, `kubernetes` or `stack`; always the policy's own target. */
  readonly target: Target;
  /** The second folder of the file, e.g. `rds` or `pods`. */
  readonly service: string;
}

function located(file: PolicyFile, policy: WarblerPolicy): RegisteredPolicy {
  const [target, service] = file.split("/") as [Target, string];
  if (target !== policy.target)
    throw new Error(`${policy.id} has target '${policy.target}' but lives in policies/${file}.ts`);
  return { policy, file, target, service };
}

const files: readonly (readonly [PolicyFile, WarblerPolicy])[] = [
  // AWS
  ["aws/kms/enableKeyRotation", awsKmsKeyRotation],
  ["aws/kms/protectKeyDeletion", awsKmsKeyDeletionProtection],
  ["aws/eks/encryptSecrets", awsEksSecretsEncryption],
  ["aws/eks/restrictApiEndpoint", awsEksPrivateEndpoint],
  ["aws/eks/enableAuditLogs", awsEksAuditLogging],
  ["aws/eks/encryptNodeDisks", awsNodeDiskEncryption],
  ["aws/eks/enforceNetworkPolicy", awsEksNetworkPolicy],
  ["aws/ec2/requireImdsv2", awsEc2Imdsv2],
  ["aws/ec2/restrictIngress", awsSecurityGroupIngress],
  ["aws/ec2/requireFlowLogs", awsVpcFlowLogs],
  ["aws/ec2/closeDefaultSecurityGroup", awsDefaultSecurityGroupClosed],
  ["aws/vpn/requireStrongTunnels", awsVpnStrongCrypto],
  ["aws/rds/encryptStorage", awsRdsStorageEncryption],
  ["aws/rds/blockPublicAccess", awsRdsNoPublicAccess],
  ["aws/rds/requireTls", awsRdsTls],
  ["aws/rds/retainBackups", awsRdsBackupRetention],
  ["aws/rds/protectDeletion", awsRdsDeletionProtection],
  ["aws/rds/exportLogs", awsRdsLogExports],
  ["aws/rds/requireMultiAz", awsRdsMultiAz],
  ["aws/s3/encryptBuckets", awsS3BucketEncryption],
  ["aws/s3/blockPublicAccess", awsS3PublicAccess],
  ["aws/s3/requireTls", awsS3TlsOnly],
  ["aws/s3/enableVersioning", awsS3Versioning],
  ["aws/s3/attachBucketControls", awsS3BucketControls],
  ["aws/cloudwatch/retainLogs", awsLogRetention],
  ["aws/iam/limitRolePrivileges", awsIamRoleNoAdmin],
  ["aws/tags/requireTags", awsRequiredTags],
  ["aws/regions/allowedRegions", awsAllowedRegions],
  // Azure
  ["azure/keyvault/protectVault", azureKeyVaultRecoverable],
  ["azure/keyvault/restrictVaultNetwork", azureKeyVaultNetwork],
  ["azure/keyvault/rotateKeys", azureKeyVaultKeyRotation],
  ["azure/aks/encryptSecrets", azureAksSecretsEncryption],
  ["azure/aks/restrictApiServer", azureAksPrivateApi],
  ["azure/aks/requireAuditLogs", azureAksAuditLogs],
  ["azure/aks/encryptNodeDisks", azureAksNodeDiskEncryption],
  ["azure/aks/encryptAtHost", azureAksEncryptionAtHost],
  ["azure/aks/requireAadRbac", azureAksRbac],
  ["azure/compute/configureDiskEncryptionSet", azureDiskEncryptionSet],
  ["azure/postgres/encryptServer", azurePostgresCmk],
  ["azure/postgres/blockPublicAccess", azurePostgresPrivate],
  ["azure/postgres/requireTls", azurePostgresTls],
  ["azure/postgres/retainBackups", azurePostgresBackupRetention],
  ["azure/postgres/lockServer", azurePostgresDeleteLock],
  ["azure/postgres/requireHighAvailability", azurePostgresHa],
  ["azure/storage/encryptAccount", azureStorageCmk],
  ["azure/storage/blockPublicAccess", azureStorageNoPublic],
  ["azure/storage/requireTls", azureStorageTls],
  ["azure/storage/restrictKeysAndNetwork", azureStorageHardening],
  ["azure/vpn/requireStrongTunnels", azureVpnStrongCrypto],
  ["azure/authorization/limitRoleAssignments", azureRoleAssignmentLeastPrivilege],
  ["azure/tags/requireTags", azureRequiredTags],
  ["azure/regions/allowedLocations", azureAllowedRegions],
  // Alibaba Cloud
  ["alicloud/kms/enableKeyRotation", alicloudKmsKeyRotation],
  ["alicloud/kms/protectKeyDeletion", alicloudKmsKeyDeletionProtection],
  ["alicloud/ack/encryptSecrets", alicloudAckSecretsEncryption],
  ["alicloud/ack/restrictApiEndpoint", alicloudAckPrivateEndpoint],
  ["alicloud/ack/enableAuditLogs", alicloudAckAuditLogging],
  ["alicloud/ack/encryptNodeDisks", alicloudAckNodeDiskEncryption],
  ["alicloud/ack/hardenNodePools", alicloudAckNodePoolHardening],
  ["alicloud/ack/protectCluster", alicloudAckDeletionProtection],
  ["alicloud/ecs/restrictIngress", alicloudSecurityGroupIngress],
  ["alicloud/vpc/requireFlowLogs", alicloudVpcFlowLogs],
  ["alicloud/vpn/requireStrongTunnels", alicloudVpnStrongCrypto],
  ["alicloud/rds/encryptStorage", alicloudRdsEncryption],
  ["alicloud/rds/requireSsl", alicloudRdsSsl],
  ["alicloud/rds/blockPublicAccess", alicloudRdsNoPublicAccess],
  ["alicloud/rds/retainBackups", alicloudRdsBackupRetention],
  ["alicloud/rds/protectDeletion", alicloudRdsDeletionProtection],
  ["alicloud/rds/enableAuditing", alicloudRdsAuditing],
  ["alicloud/rds/requireHighAvailability", alicloudRdsHa],
  ["alicloud/oss/encryptBuckets", alicloudOssEncryption],
  ["alicloud/oss/blockPublicAccess", alicloudOssPrivate],
  ["alicloud/oss/requireTls", alicloudOssTls],
  ["alicloud/oss/keepVersionsAndLogs", alicloudOssVersioningLogging],
  ["alicloud/oss/attachBucketControls", alicloudOssBucketControls],
  ["alicloud/sls/retainLogs", alicloudLogRetention],
  ["alicloud/ram/limitRolePrivileges", alicloudRamLeastPrivilege],
  ["alicloud/tags/requireTags", alicloudRequiredTags],
  ["alicloud/regions/allowedRegions", alicloudAllowedRegions],
  // Kubernetes
  ["kubernetes/pods/forbidPrivilege", k8sNoPrivilege],
  ["kubernetes/pods/runAsNonRoot", k8sRunAsNonRoot],
  ["kubernetes/pods/forbidHostAccess", k8sNoHostAccess],
  ["kubernetes/pods/readOnlyRootFilesystem", k8sReadOnlyRootFs],
  ["kubernetes/pods/setResourceLimits", k8sResourceLimits],
  ["kubernetes/pods/pinImages", k8sPinnedImages],
  ["kubernetes/pods/keepSecretsOutOfEnv", k8sNoPlaintextSecrets],
  ["kubernetes/namespaces/labelPodSecurity", k8sPodSecurityLabels],
  ["kubernetes/namespaces/requireNetworkPolicy", k8sNamespaceNetworkPolicy],
  ["kubernetes/namespaces/requireLabels", k8sRequiredLabels],
  ["kubernetes/gateway/requireTlsListeners", k8sGatewayTls],
  ["kubernetes/gateway/restrictAdminRoutes", k8sGatewayAdminAllowList],
  ["kubernetes/gateway/matchProxyProtocol", k8sGatewayProxyProtocol],
  ["kubernetes/services/limitPublicPorts", k8sPublicServicePorts],
  ["kubernetes/storage/encryptStorageClasses", k8sEncryptedStorageClasses],
  // Cross-resource, all clouds
  ["stack/encryption/useKeysFromStack", stackKeysInStack],
];

export const registry: readonly RegisteredPolicy[] = files.map(([file, policy]) => located(file, policy));

/** Which policies to select; each criterion given must match, and one of its values is enough. */
export interface PolicyFilter {
  /** Clouds, `kubernetes` or `stack`. @default every target */
  readonly targets?: readonly Target[];
  /** Service folders, bare (`rds`, on every target that has one) or qualified (`aws/rds`). @default every service */
  readonly services?: readonly string[];
  /** @default every severity */
  readonly severities?: readonly Severity[];
  /**
   * Framework ids of policies/controls.json (e.g. `pcidss`): policies that cite a control of one.
   * @default every framework
   */
  readonly frameworks?: readonly string[];
}

/** A filter names a value the pack does not have. */
export class PolicyFilterError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid policy filter:\n  ${problems.join("\n  ")}`);
    this.name = "PolicyFilterError";
  }
}

function frameworksOf(policy: WarblerPolicy): string[] {
  return policy.controls.flatMap((c) => catalogue.byId.get(c)?.framework.id ?? []);
}

/** Every problem of the filter against `from`; an empty list would select nothing, so it is one too. */
function filterProblems(filter: PolicyFilter, from: readonly RegisteredPolicy[]): string[] {
  const known: Record<keyof PolicyFilter, readonly string[]> = {
    targets,
    services: [...new Set(from.flatMap((r) => [r.service, `${r.target}/${r.service}`]))].sort(),
    severities,
    frameworks: catalogue.frameworks.map((f) => f.id),
  };
  return (Object.keys(known) as (keyof PolicyFilter)[]).flatMap((key) => {
    const values = filter[key];
    if (values === undefined) return [];
    if (values.length === 0) return [`'${key}' is empty, which selects nothing; omit it to select every value`];
    return values.flatMap((v, i) =>
      known[key].includes(v) ? [] : [`'${key}[${i}]' (${JSON.stringify(v)}) is not one of: ${known[key].join(", ")}`],
    );
  });
}

/**
 * The policies that match `filter`, in registry order; no filter selects them all.
 * Throws PolicyFilterError, naming every unknown value, before selecting anything.
 */
export function selectPolicies(
  filter: PolicyFilter = {},
  from: readonly RegisteredPolicy[] = registry,
): WarblerPolicy[] {
  const problems = filterProblems(filter, from);
  if (problems.length > 0) throw new PolicyFilterError(problems);
  const matches = (wanted: readonly string[] | undefined, ...values: string[]) =>
    wanted === undefined || values.some((v) => wanted.includes(v));
  return from
    .filter(
      (r) =>
        matches(filter.targets, r.target) &&
        matches(filter.services, r.service, `${r.target}/${r.service}`) &&
        matches(filter.severities, r.policy.severity) &&
        matches(filter.frameworks, ...frameworksOf(r.policy)),
    )
    .map((r) => r.policy);
}
