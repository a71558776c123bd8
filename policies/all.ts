/**
 * Every policy of the Warbler pack, in the order reports list them. Adding a
 * policy means adding its file under policies/<target>/ and one line here;
 * test/policy/catalogue.test.ts fails until it has fixtures.
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
import { awsSecurityGroupIngress } from "./aws/ec2/restrictIngress";
import { awsVpcFlowLogs } from "./aws/ec2/requireFlowLogs";
import { awsEc2Imdsv2 } from "./aws/ec2/requireImdsv2";
import { awsEksAuditLogging } from "./aws/eks/enableAuditLogs";
import { awsNodeDiskEncryption } from "./aws/eks/encryptNodeDisks";
import { awsEksSecretsEncryption } from "./aws/eks/encryptSecrets";
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
import { k8sIngressTls } from "./kubernetes/ingress/requireTls";
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
import type { WarblerPolicy } from "./policy";
import { stackKeysInStack } from "./stack/encryption/useKeysFromStack";

export const allPolicies: readonly WarblerPolicy[] = [
  // AWS
  awsKmsKeyRotation, awsKmsKeyDeletionProtection,
  awsEksSecretsEncryption, awsEksPrivateEndpoint, awsEksAuditLogging, awsNodeDiskEncryption, awsEc2Imdsv2,
  awsSecurityGroupIngress, awsVpcFlowLogs, awsVpnStrongCrypto,
  awsRdsStorageEncryption, awsRdsNoPublicAccess, awsRdsTls, awsRdsBackupRetention, awsRdsDeletionProtection, awsRdsLogExports, awsRdsMultiAz,
  awsS3BucketEncryption, awsS3PublicAccess, awsS3TlsOnly, awsS3Versioning, awsS3BucketControls,
  awsLogRetention, awsIamRoleNoAdmin, awsRequiredTags, awsAllowedRegions,
  // Azure
  azureKeyVaultRecoverable, azureKeyVaultNetwork, azureKeyVaultKeyRotation,
  azureAksSecretsEncryption, azureAksPrivateApi, azureAksAuditLogs, azureAksNodeDiskEncryption, azureAksEncryptionAtHost, azureAksRbac, azureDiskEncryptionSet,
  azurePostgresCmk, azurePostgresPrivate, azurePostgresTls, azurePostgresBackupRetention, azurePostgresDeleteLock, azurePostgresHa,
  azureStorageCmk, azureStorageNoPublic, azureStorageTls, azureStorageHardening, azureVpnStrongCrypto,
  azureRoleAssignmentLeastPrivilege, azureRequiredTags, azureAllowedRegions,
  // Alibaba Cloud
  alicloudKmsKeyRotation, alicloudKmsKeyDeletionProtection,
  alicloudAckSecretsEncryption, alicloudAckPrivateEndpoint, alicloudAckAuditLogging, alicloudAckNodeDiskEncryption, alicloudAckNodePoolHardening, alicloudAckDeletionProtection,
  alicloudSecurityGroupIngress, alicloudVpcFlowLogs, alicloudVpnStrongCrypto,
  alicloudRdsEncryption, alicloudRdsSsl, alicloudRdsNoPublicAccess, alicloudRdsBackupRetention, alicloudRdsDeletionProtection, alicloudRdsAuditing, alicloudRdsHa,
  alicloudOssEncryption, alicloudOssPrivate, alicloudOssTls, alicloudOssVersioningLogging, alicloudOssBucketControls,
  alicloudLogRetention, alicloudRamLeastPrivilege, alicloudRequiredTags, alicloudAllowedRegions,
  // Kubernetes
  k8sNoPrivilege, k8sRunAsNonRoot, k8sNoHostAccess, k8sReadOnlyRootFs, k8sResourceLimits, k8sPinnedImages, k8sNoPlaintextSecrets,
  k8sPodSecurityLabels, k8sNamespaceNetworkPolicy, k8sRequiredLabels, k8sIngressTls, k8sPublicServicePorts, k8sEncryptedStorageClasses,
  // Cross-resource, all clouds
  stackKeysInStack,
];
