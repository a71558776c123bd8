import type { InstanceArgs } from "@pulumi/aws/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsRdsLogExports: WarblerResourcePolicy = {
  id: "aws-rds-log-exports",
  name: "RDS PostgreSQL exports its logs",
  target: "aws",
  what: "Every RDS PostgreSQL instance must export its 'postgresql' log to CloudWatch Logs.",
  why:
    "Database logs show failed logins, connections and errors; kept only on the instance, they rotate away and " +
    "are lost with it.",
  fix: 'Set \'enabledCloudwatchLogsExports: ["postgresql", "upgrade"]\' on the instance.',
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.15", "SOC2-CC7.2", "PCI-10.2.1", "MLPS-8.1.4.3"],
  resourceTypes: ["aws:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["aws:rds/instance:Instance"], (db, args, report) => {
    if (!String(db.engine ?? "").startsWith("postgres")) args.notApplicable("not a PostgreSQL instance");
    if (!(db.enabledCloudwatchLogsExports ?? []).includes("postgresql"))
      report('enabledCloudwatchLogsExports does not include "postgresql"');
  }),
};
