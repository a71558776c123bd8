import type { InstanceArgs } from "@pulumi/alicloud/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const alicloudRdsDeletionProtection: WarblerResourcePolicy = {
  id: "alicloud-rds-deletion-protection",
  name: "ApsaraDB RDS is protected from deletion",
  target: "alicloud",
  what: "Every ApsaraDB RDS instance must have deletion protection on.",
  why: "A single mistaken 'pulumi destroy' or console click must not erase the message archive and user directory.",
  fix:
    "Set 'deletionProtection: true' (the Warbler Alibaba kit does this when " +
    "'warbler:database.deletionProtection' is true, the default).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.13", "ISO27001-A.8.32", "SOC2-A1.2", "SOC2-CC8.1", "GDPR-32", "MLPS-8.1.4.9"],
  resourceTypes: ["alicloud:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["alicloud:rds/instance:Instance"], (db, _args, report) => {
    if (db.deletionProtection !== true) report("deletionProtection is not true");
  }),
};
