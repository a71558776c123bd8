import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

interface Parameter {
  name?: string;
  value?: unknown;
}

export const awsRdsTls: WarblerStackPolicy = {
  id: "aws-rds-tls-required",
  name: "RDS PostgreSQL refuses connections without TLS",
  target: "aws",
  what:
    "Every RDS PostgreSQL instance must use a parameter group from this stack that sets 'rds.force_ssl' to 1, " +
    "so the server rejects unencrypted connections.",
  why:
    "Without forced TLS, a misconfigured client sends passwords and message contents in clear text across the " +
    "network, where anything on the path can read them.",
  fix:
    "Create an 'aws.rds.ParameterGroup' for the postgres family with 'rds.force_ssl' = '1' and set it as the " +
    "instance's 'parameterGroupName' (the Warbler AWS kit does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "ISO27001-A.8.21", "SOC2-CC6.7", "PCI-4.2.1", "GDPR-32", "MLPS-8.1.2.2"],
  resourceTypes: ["aws:rds/instance:Instance", "aws:rds/parameterGroup:ParameterGroup"],
  validateStack: (args, report) => {
    const dbs = args.resources.filter(
      (r) => r.type === "aws:rds/instance:Instance" && String(r.props.engine ?? "").startsWith("postgres"),
    );
    if (dbs.length === 0) args.notApplicable("the stack has no RDS PostgreSQL instance");
    const groups = args.resources.filter((r) => r.type === "aws:rds/parameterGroup:ParameterGroup");
    for (const db of dbs) {
      const group = groups.find(
        (g) =>
          refersTo(db, "parameterGroupName", g) ||
          (g.props.name !== undefined && g.props.name === db.props.parameterGroupName),
      );
      if (!group) {
        report(
          `instance '${db.name}' does not use a parameter group from this stack, so TLS is not enforced by ` +
            `configuration`,
          db.urn,
        );
        continue;
      }
      const forced = ((group.props.parameters ?? []) as Parameter[]).some(
        (p) => p.name === "rds.force_ssl" && String(p.value) === "1",
      );
      if (!forced)
        report(`parameter group '${group.name}' used by '${db.name}' does not set rds.force_ssl = 1`, group.urn);
    }
  },
};
