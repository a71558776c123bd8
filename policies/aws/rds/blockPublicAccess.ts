import type { InstanceArgs } from "@pulumi/aws/rds";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsRdsNoPublicAccess: WarblerResourcePolicy = {
  id: "aws-rds-no-public-access",
  name: "RDS databases are not reachable from the internet",
  target: "aws",
  what: "No RDS database instance may be publicly accessible.",
  why:
    "A publicly accessible database gets a public IP address; only the security group then stands between the " +
    "internet and every stored message.",
  fix:
    "Set 'publiclyAccessible: false' (the default) and reach the database from the cluster over the private " +
    "subnets.",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.20",
    "ISO27001-A.8.3",
    "SOC2-CC6.6",
    "PCI-1.4.4",
    "GDPR-32",
    "CIS-AWS-RDS-PUBLIC",
    "MLPS-8.1.3.1",
  ],
  resourceTypes: ["aws:rds/instance:Instance"],
  validateResource: forTypes<InstanceArgs>(["aws:rds/instance:Instance"], (db, _args, report) => {
    if (db.publiclyAccessible === true) report("publiclyAccessible is true");
  }),
};
