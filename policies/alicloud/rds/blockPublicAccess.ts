import type { InstanceArgs } from "@pulumi/alicloud/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isAnywhere, isSet } from "../../props";

const INSTANCE = "alicloud:rds/instance:Instance";
const CONNECTION = "alicloud:rds/connection:Connection";

export const alicloudRdsNoPublicAccess: WarblerResourcePolicy = {
  id: "alicloud-rds-no-public-access",
  name: "ApsaraDB RDS is reachable only from the VPC",
  target: "alicloud",
  what:
    "No ApsaraDB RDS instance may have an internet connection string, and its IP whitelist must not admit the " +
    "whole internet (0.0.0.0/0); it must be in a VPC vSwitch. (Checkov CKV_ALI_9, InfraGuard " +
    "rds-public-connection-and-any-ip-access-check, rds-instances-in-vpc.)",
  why:
    "A public connection string with an open whitelist puts every stored message one password away from anyone " +
    "on the internet.",
  fix:
    "Do not create an 'alicloud.rds.Connection' (public endpoint); set 'vswitchId' and restrict 'securityIps' " +
    "to the VPC or node vSwitch CIDRs (the Warbler Alibaba kit does this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.20",
    "ISO27001-A.8.3",
    "SOC2-CC6.6",
    "PCI-1.4.4",
    "GDPR-32",
    "CIS-ALI-RDS-PUBLIC",
    "MLPS-8.1.3.1",
  ],
  resourceTypes: [INSTANCE, CONNECTION],
  validateResource: forTypes<InstanceArgs>([INSTANCE, CONNECTION], (db, args, report) => {
    if (args.type === CONNECTION) return report("an internet connection string is created for the database");
    const open = (db.securityIps ?? []).flatMap((ip) => String(ip).split(",")).filter(isAnywhere);
    if (open.length > 0) report(`securityIps admit ${open.join(", ")}`);
    if (!isSet(db.vswitchId)) report("vswitchId is not set; the instance is not placed in the VPC");
  }),
};
