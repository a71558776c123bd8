import type { ManagedKubernetesArgs } from "@pulumi/alicloud/cs";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const alicloudAckSecretsEncryption: WarblerResourcePolicy = {
  id: "alicloud-ack-secrets-encryption",
  name: "ACK encrypts Kubernetes secrets with a customer-managed key",
  target: "alicloud",
  what:
    "Every ACK managed cluster must encrypt Kubernetes Secrets with a KMS key ('encryptionProviderKey'; " +
    "requires the ACK Pro edition). (InfraGuard ack-cluster-encryption-enabled.)",
  why:
    "Secrets hold the database password, TLS keys and API tokens. Envelope encryption with your own key means a " +
    "copy of etcd is useless without that key, and you can revoke it.",
  fix:
    "Set 'clusterSpec: \"ack.pro.small\"' and 'encryptionProviderKey' to the platform KMS key id (the Warbler " +
    "Alibaba kit does this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "PCI-3.5.1",
    "PCI-3.6.1",
    "GDPR-32",
    "CIS-ALI-ACK-SECRETS",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["alicloud:cs/managedKubernetes:ManagedKubernetes"],
  validateResource: forTypes<ManagedKubernetesArgs>(
    ["alicloud:cs/managedKubernetes:ManagedKubernetes"],
    (c, _args, report) => {
      if (!isSet(c.encryptionProviderKey))
        report("encryptionProviderKey is not set; Kubernetes secrets are not encrypted with a customer-managed key");
      if (c.disableEncryption === true) report("disableEncryption is true");
    },
  ),
};
