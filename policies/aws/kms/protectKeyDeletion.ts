import type { KeyArgs } from "@pulumi/aws/kms";
import { keyDeletionPolicy } from "../../common/keyDeletion";

export const awsKmsKeyDeletionProtection = keyDeletionPolicy<KeyArgs>({
  id: "aws-kms-key-deletion-protection",
  name: "KMS keys cannot be deleted at short notice",
  target: "aws",
  what:
    "Every customer-managed KMS key must keep the longest deletion waiting period (30 days by default) and must " +
    "not be created disabled.",
  why:
    "Deleting the key makes every backup, disk and object encrypted with it unreadable for ever. A long waiting " +
    "period gives operators time to notice and cancel a mistaken or malicious deletion.",
  fix:
    "Leave 'deletionWindowInDays' unset (AWS then waits 30 days) or set it to at least the configured minimum, " +
    "and do not set 'isEnabled: false'.",
  type: "aws:kms/key:Key",
  window: {
    setting: "deletionWindowInDays",
    days: (key) => key.deletionWindowInDays ?? 30,
    minimum: {
      key: "minDeletionWindowDays",
      minimum: 7,
      maximum: 30,
      default: 30,
      description: "Shortest allowed deletion waiting period in days.",
    },
  },
  switches: [{ setting: "isEnabled", value: (key) => key.isEnabled, safe: true, unset: true }],
});
