import type { LogGroupArgs } from "@pulumi/aws/cloudwatch";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsLogRetention: WarblerResourcePolicy = {
  id: "aws-cloudwatch-log-retention",
  name: "CloudWatch log groups keep logs for a year",
  target: "aws",
  what:
    "Every CloudWatch log group must keep its logs for at least the configured number of days (365 by default) " +
    "and not for ever.",
  why:
    "Audit trails must be available for investigations for at least twelve months (PCI DSS 10.5.1); keeping " +
    "them indefinitely stores personal data longer than needed.",
  fix:
    "Set 'retentionInDays' to a value of at least the minimum (the Warbler kits use " +
    "'warbler:cluster.auditLogRetentionDays', 365 by default).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.15", "SOC2-CC7.2", "PCI-10.5.1", "GDPR-25", "MLPS-8.1.4.3"],
  resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
  configSchema: {
    properties: {
      minRetentionDays: { type: "integer", minimum: 1, default: 365, description: "Fewest days logs are kept." },
    },
  },
  validateResource: forTypes<LogGroupArgs>(["aws:cloudwatch/logGroup:LogGroup"], (lg, args, report) => {
    const { minRetentionDays } = configOf<{ minRetentionDays: number }>(awsLogRetention, args);
    const days = lg.retentionInDays ?? 0;
    if (days === 0) report("retentionInDays is not set; logs are kept for ever");
    else if (days < minRetentionDays) report(`retentionInDays (${days}) must be at least ${minRetentionDays}`);
  }),
};
