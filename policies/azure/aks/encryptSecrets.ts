import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const azureAksSecretsEncryption: WarblerResourcePolicy = {
  id: "azure-aks-secrets-encryption",
  name: "AKS encrypts Kubernetes secrets with a customer-managed key",
  target: "azure",
  what: "Every AKS cluster must turn on KMS etcd encryption with a Key Vault key (securityProfile.azureKeyVaultKms).",
  why:
    "Secrets hold the database password, TLS keys and API tokens. KMS encryption with your own key means a copy " +
    "of etcd is useless without that key, and you can revoke it.",
  fix:
    "Set 'securityProfile.azureKeyVaultKms: { enabled: true, keyId: <key URI with version>, " +
    'keyVaultNetworkAccess: "Private" or "Public" }\' (the Warbler Azure kit does this).',
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "PCI-3.5.1",
    "PCI-3.6.1",
    "GDPR-32",
    "CIS-AKS-SECRETS-KMS",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["azure-native:containerservice:ManagedCluster"],
  validateResource: forTypes<ManagedClusterArgs>(
    ["azure-native:containerservice:ManagedCluster"],
    (c, _args, report) => {
      const kms = c.securityProfile?.azureKeyVaultKms;
      if (kms?.enabled !== true) return report("securityProfile.azureKeyVaultKms.enabled is not true");
      if (!isSet(kms.keyId)) report("securityProfile.azureKeyVaultKms.keyId must name the Key Vault key");
    },
  ),
};
