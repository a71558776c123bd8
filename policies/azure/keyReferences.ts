import type { DiskEncryptionSetArgs } from "@pulumi/azure-native/compute";
import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice";
import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql";
import type { StorageAccountArgs } from "@pulumi/azure-native/storage";
import { type CloudKeys, keyReference } from "../common/keyReferences";
import { isSet } from "../props";

const KEY = "azure-native:keyvault:Key";

/** The Azure resources the kit encrypts with its Key Vault key, and where each names the key. */
export const azureKeys: CloudKeys = {
  keyTypes: [KEY],
  encrypted: [
    keyReference<ServerArgs>(
      "azure-native:dbforpostgresql:Server",
      "dataEncryption",
      (s) => s.dataEncryption?.primaryKeyURI,
    ),
    // A storage account names its key by keyName, which matches the Key's own keyName.
    keyReference<StorageAccountArgs>(
      "azure-native:storage:StorageAccount",
      "encryption",
      (sa) => sa.encryption?.keyVaultProperties?.keyName,
      (sa, key) =>
        key.type === KEY &&
        isSet(key.props.keyName) &&
        key.props.keyName === sa.encryption?.keyVaultProperties?.keyName,
    ),
    keyReference<ManagedClusterArgs>(
      "azure-native:containerservice:ManagedCluster",
      "securityProfile",
      (c) => c.securityProfile?.azureKeyVaultKms?.keyId,
    ),
    keyReference<DiskEncryptionSetArgs>(
      "azure-native:compute:DiskEncryptionSet",
      "activeKey",
      (d) => d.activeKey?.keyUrl,
    ),
  ],
};
