import type { KeyArgs } from "@pulumi/alicloud/kms";
import { keyDeletionPolicy } from "../../common/keyDeletion";

export const alicloudKmsKeyDeletionProtection = keyDeletionPolicy<KeyArgs>({
  id: "alicloud-kms-key-deletion-protection",
  name: "KMS keys are protected from deletion",
  target: "alicloud",
  what:
    "Every customer-managed KMS key must have deletion protection enabled, a pending-deletion window of at " +
    "least the configured days (30 by default), and must be enabled. (InfraGuard " +
    "kms-key-delete-protection-enabled, Checkov CKV_ALI_28.)",
  why: "Deleting the key makes every backup, disk and object encrypted with it unreadable for ever.",
  fix:
    "Set 'deletionProtection: \"Enabled\"' and 'pendingWindowInDays' to at least the minimum, and leave " +
    "'status' at \"Enabled\" (the Warbler Alibaba kit does this).",
  type: "alicloud:kms/key:Key",
  window: {
    setting: "pendingWindowInDays",
    // The provider's default pending window is 30 days.
    days: (key) => key.pendingWindowInDays ?? key.deletionWindowInDays ?? 30,
    minimum: {
      key: "minPendingWindowDays",
      minimum: 7,
      maximum: 366,
      default: 30,
      description: "Shortest allowed pending-deletion window in days.",
    },
  },
  switches: [
    { setting: "deletionProtection", value: (key) => key.deletionProtection, safe: "Enabled", unset: "Disabled" },
    { setting: "status", value: (key) => key.status, safe: "Enabled", unset: "Enabled" },
  ],
});
