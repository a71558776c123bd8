import type { KeyArgs } from "@pulumi/alicloud/kms";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

export const alicloudKmsKeyDeletionProtection: WarblerResourcePolicy = {
  id: "alicloud-kms-key-deletion-protection",
  name: "KMS keys are protected from deletion",
  target: "alicloud",
  what: "Every customer-managed KMS key must have deletion protection enabled, a pending-deletion window of at least the configured days (30 by default), and must be enabled. (InfraGuard kms-key-delete-protection-enabled, Checkov CKV_ALI_28.)",
  why: "Deleting the key makes every backup, disk and object encrypted with it unreadable for ever.",
  fix: "Set 'deletionProtection: \"Enabled\"' and 'pendingWindowInDays' to at least the minimum, and leave 'status' at \"Enabled\" (the Warbler Alibaba kit does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "ISO27001-A.8.13", "SOC2-A1.2", "PCI-3.6.1", "GDPR-32", "MLPS-8.1.4.9"],
  resourceTypes: ["alicloud:kms/key:Key"],
  configSchema: {
    properties: {
      minPendingWindowDays: { type: "integer", minimum: 7, maximum: 366, default: 30, description: "Shortest allowed pending-deletion window in days." },
    },
  },
  validateResource: forTypes<KeyArgs>(["alicloud:kms/key:Key"], (key, args, report) => {
    const { minPendingWindowDays } = configOf<{ minPendingWindowDays: number }>(alicloudKmsKeyDeletionProtection, args);
    if (key.deletionProtection !== "Enabled") report(`deletionProtection (${JSON.stringify(key.deletionProtection ?? "Disabled")}) must be "Enabled"`);
    // The provider's default pending window is 30 days.
    const days = key.pendingWindowInDays ?? key.deletionWindowInDays ?? 30;
    if (days < minPendingWindowDays) report(`pendingWindowInDays (${days}) must be at least ${minPendingWindowDays}`);
    if (key.status !== undefined && key.status !== "Enabled") report(`status (${key.status}) must be "Enabled"`);
  }),
};
