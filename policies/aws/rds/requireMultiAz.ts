import type { InstanceArgs } from "@pulumi/aws/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsRdsMultiAz: WarblerResourcePolicy = {
  id: "aws-rds-multi-az",
  name: "RDS runs a standby in a second zone",
  target: "aws",
  what: "Every RDS instance should be Multi-AZ, with a synchronous standby in another availability zone.",
  why: "A single-zone database takes the whole IM service down with its zone and may lose the last committed messages.",
  fix: "Keep 'warbler:database.highAvailability: true' (the default), which sets 'multiAz: true'.",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.14", "SOC2-A1.2", "MLPS-8.1.4.9"],
  resourceTypes: ["aws:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["aws:rds/instance:Instance"], (db, _args, report) => {
    if (db.multiAz !== true) report("multiAz is not true");
  }),
};
