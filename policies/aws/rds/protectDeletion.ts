import type { InstanceArgs } from "@pulumi/aws/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsRdsDeletionProtection: WarblerResourcePolicy = {
  id: "aws-rds-deletion-protection",
  name: "RDS databases are protected from deletion",
  target: "aws",
  what: "Every RDS instance must have deletion protection on and must take a final snapshot if it is ever deleted.",
  why:
    "A single mistaken 'pulumi destroy' or console click must not erase the message archive and user directory " +
    "without a copy.",
  fix:
    "Set 'deletionProtection: true' and leave 'skipFinalSnapshot' false (the Warbler AWS kit does this when " +
    "'warbler:database.deletionProtection' is true, the default).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.13", "ISO27001-A.8.32", "SOC2-A1.2", "SOC2-CC8.1", "GDPR-32", "MLPS-8.1.4.9"],
  resourceTypes: ["aws:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["aws:rds/instance:Instance"], (db, _args, report) => {
    if (db.deletionProtection !== true) report("deletionProtection is not true");
    if (db.skipFinalSnapshot === true)
      report("skipFinalSnapshot is true; deleting the instance would leave no final snapshot");
  }),
};
