import type { ClusterArgs } from "@pulumi/aws/eks";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const awsEksSecretsEncryption: WarblerResourcePolicy = {
  id: "aws-eks-secrets-encryption",
  name: "EKS encrypts Kubernetes secrets with a customer-managed key",
  target: "aws",
  what: "Every EKS cluster must encrypt Kubernetes Secrets (envelope encryption) with a customer-managed KMS key.",
  why:
    "Secrets hold the database password, TLS keys and API tokens. Envelope encryption with your own key means a " +
    "copy of the cluster's etcd store is useless without access to that key, and you can revoke it.",
  fix:
    "Set 'encryptionConfig: { resources: [\"secrets\"], provider: { keyArn: <the platform key ARN> } }' on the " +
    "cluster (the Warbler AWS kit does this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "PCI-3.5.1",
    "PCI-3.6.1",
    "GDPR-32",
    "CIS-EKS-SECRETS-KMS",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["aws:eks/cluster:Cluster"],
  validateResource: forTypes<ClusterArgs>(["aws:eks/cluster:Cluster"], (cluster, _args, report) => {
    const enc = cluster.encryptionConfig;
    if (!enc)
      return report("encryptionConfig is not set; Kubernetes secrets are not encrypted with a customer-managed key");
    if (!(enc.resources ?? []).includes("secrets")) report('encryptionConfig.resources must include "secrets"');
    if (!isSet(enc.provider?.keyArn)) report("encryptionConfig.provider.keyArn must name a customer-managed KMS key");
  }),
};
