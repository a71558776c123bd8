import { requiredTagsPolicy } from "../../common/requiredTags";

/** Every Azure type the kit creates that takes `tags`. */
export const azureTaggableTypes = [
  "azure-native:resources:ResourceGroup",
  "azure-native:keyvault:Vault",
  "azure-native:keyvault:Key",
  "azure-native:managedidentity:UserAssignedIdentity",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:NatGateway",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:containerservice:ManagedCluster",
  "azure-native:containerservice:AgentPool",
  "azure-native:compute:DiskEncryptionSet",
  "azure-native:dbforpostgresql:Server",
  "azure-native:storage:StorageAccount",
  "azure-native:operationalinsights:Workspace",
];

export const azureRequiredTags = requiredTagsPolicy("azure", "Azure", azureTaggableTypes);
