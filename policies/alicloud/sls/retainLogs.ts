import type { StoreArgs } from "@pulumi/alicloud/log";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

export const alicloudLogRetention: WarblerResourcePolicy = {
  id: "alicloud-sls-log-retention",
  name: "Simple Log Service logstores keep logs for a year, encrypted",
  target: "alicloud",
  what:
    "Every Simple Log Service logstore must keep its logs for at least the configured number of days (365 by " +
    "default) and should encrypt them at rest. (InfraGuard sls-logstore-enabled-encrypt.)",
  why:
    "Audit and access logs must be available for investigations for at least twelve months (PCI DSS 10.5.1, " +
    "MLPS audit record retention); they record who accessed personal data and must be protected like it.",
  fix:
    "Set 'retentionPeriod' to at least the minimum and 'encryptConf: { enable: true, encryptType: \"aes_gcm\" " +
    "}' on the logstore.",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.15", "SOC2-CC7.2", "PCI-10.5.1", "GDPR-32", "MLPS-8.1.4.3"],
  resourceTypes: ["alicloud:log/store:Store"],
  configSchema: {
    properties: {
      minRetentionDays: { type: "integer", minimum: 1, default: 365, description: "Fewest days logs are kept." },
    },
  },
  validateResource: forTypes<StoreArgs>(["alicloud:log/store:Store"], (store, args, report) => {
    const { minRetentionDays } = configOf<{ minRetentionDays: number }>(alicloudLogRetention, args);
    // Simple Log Service keeps 30 days when retentionPeriod is unset.
    const days = store.retentionPeriod ?? 30;
    if (days < minRetentionDays) report(`retentionPeriod (${days}) must be at least ${minRetentionDays} days`);
    if (store.encryptConf?.enable !== true) report("encryptConf.enable is not true; the logs are stored unencrypted");
  }),
};
