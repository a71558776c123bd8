import type { InstanceArgs } from "@pulumi/alicloud/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const alicloudRdsHa: WarblerResourcePolicy = {
  id: "alicloud-rds-high-availability",
  name: "ApsaraDB RDS runs a standby in a second zone",
  target: "alicloud",
  what:
    "Every ApsaraDB RDS instance should be High-availability Edition with its secondary node in a different " +
    "zone. (InfraGuard rds-multi-az-support.)",
  why: "A single-zone database takes the whole IM service down with its zone and may lose the last committed messages.",
  fix:
    "Keep 'warbler:database.highAvailability: true' (the default), which sets 'category: \"HighAvailability\"' " +
    "and 'zoneIdSlaveA' to another zone.",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.14", "SOC2-A1.2", "MLPS-8.1.4.9"],
  resourceTypes: ["alicloud:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["alicloud:rds/instance:Instance"], (db, _args, report) => {
    if (db.category !== "HighAvailability")
      report(`category (${JSON.stringify(db.category ?? "unset")}) is not "HighAvailability"`);
    else if (!isSet(db.zoneIdSlaveA) || db.zoneIdSlaveA === db.zoneId)
      report("zoneIdSlaveA must name a zone other than zoneId");
  }),
};
