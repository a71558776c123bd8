import type { KeyArgs } from "@pulumi/alicloud/kms";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

/** Seconds in a rotation interval such as "31536000s" or "365d". */
function seconds(interval: string | undefined): number | undefined {
  const m = /^(\d+)([sd])$/.exec(interval ?? "");
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === "d" ? 86400 : 1);
}

const YEAR = 365 * 86400;

export const alicloudKmsKeyRotation: WarblerResourcePolicy = {
  id: "alicloud-kms-key-rotation",
  name: "KMS keys rotate automatically",
  target: "alicloud",
  what:
    "Every customer-managed KMS key must have automatic rotation enabled with an interval of at most one year. " +
    "(Checkov CKV_ALI_27, InfraGuard kms-key-rotation-enabled.)",
  why:
    "The key protects the cluster's secrets, the database and the disks. Rotating it limits how much data one " +
    "exposed key version can unlock and is a key-management requirement of PCI DSS, ISO 27001 and MLPS.",
  fix:
    "Set 'automaticRotation: \"Enabled\"' and 'rotationInterval' to \"31536000s\" (365 days) or shorter (the " +
    "Warbler Alibaba kit does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "PCI-3.6.1",
    "PCI-3.7.4",
    "GDPR-32",
    "CIS-ALI-KMS-ROTATION",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: ["alicloud:kms/key:Key"],
  validateResource: forTypes<KeyArgs>(["alicloud:kms/key:Key"], (key, _args, report) => {
    if (key.automaticRotation !== "Enabled")
      return report(`automaticRotation (${JSON.stringify(key.automaticRotation ?? "Disabled")}) must be "Enabled"`);
    const s = seconds(key.rotationInterval);
    if (s === undefined)
      report(`rotationInterval (${JSON.stringify(key.rotationInterval)}) must be set, e.g. "31536000s"`);
    else if (s > YEAR) report(`rotationInterval (${key.rotationInterval}) must be at most 365 days`);
  }),
};
