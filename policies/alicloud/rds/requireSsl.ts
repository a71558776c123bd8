import type { InstanceArgs } from "@pulumi/alicloud/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const alicloudRdsSsl: WarblerResourcePolicy = {
  id: "alicloud-rds-ssl",
  name: "ApsaraDB RDS encrypts connections with SSL",
  target: "alicloud",
  what:
    "Every ApsaraDB RDS instance must have SSL turned on for its connections. (Checkov CKV_ALI_20, InfraGuard " +
    "rds-instance-enabled-ssl.)",
  why:
    "Without SSL, passwords and message contents cross the network in clear text; MLPS level 3 requires " +
    "confidentiality of data in transit.",
  fix:
    "Set 'sslAction: \"Open\"' on the instance and connect with sslmode=verify-full using the instance CA (the " +
    "Warbler Alibaba kit does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "ISO27001-A.8.21",
    "SOC2-CC6.7",
    "PCI-4.2.1",
    "GDPR-32",
    "CIS-ALI-RDS-SSL",
    "MLPS-8.1.2.2",
  ],
  resourceTypes: ["alicloud:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["alicloud:rds/instance:Instance"], (db, _args, report) => {
    if (db.sslAction !== "Open" && db.sslAction !== "Update")
      report(`sslAction (${JSON.stringify(db.sslAction ?? "unset")}) must be "Open"`);
  }),
};
