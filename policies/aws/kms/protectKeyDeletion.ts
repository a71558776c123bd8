import type { KeyArgs } from "@pulumi/aws/kms";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsKmsKeyDeletionProtection: WarblerResourcePolicy = {
  id: "aws-kms-key-deletion-protection",
  name: "KMS keys cannot be deleted at short notice",
  target: "aws",
  what: "Every customer-managed KMS key must keep the longest deletion waiting period (30 days by default) and must not be created disabled.",
  why: "Deleting the key makes every backup, disk and object encrypted with it unreadable for ever. A long waiting period gives operators time to notice and cancel a mistaken or malicious deletion.",
  fix: "Leave 'deletionWindowInDays' unset (AWS then waits 30 days) or set it to at least the configured minimum, and do not set 'isEnabled: false'.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "ISO27001-A.8.13", "SOC2-A1.2", "PCI-3.6.1", "GDPR-32", "MLPS-8.1.4.9"],
  resourceTypes: ["aws:kms/key:Key"],
  configSchema: {
    properties: {
      minDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, default: 30, description: "Shortest allowed deletion waiting period in days." },
    },
  },
  validateResource: forTypes<KeyArgs>(["aws:kms/key:Key"], (key, args, report) => {
    const { minDeletionWindowDays } = configOf<{ minDeletionWindowDays: number }>(awsKmsKeyDeletionProtection, args);
    const days = key.deletionWindowInDays ?? 30;
    if (days < minDeletionWindowDays) report(`deletionWindowInDays (${days}) must be at least ${minDeletionWindowDays}`);
    if (key.isEnabled === false) report("the key is created disabled (isEnabled: false); data encrypted with it cannot be read");
  }),
};
