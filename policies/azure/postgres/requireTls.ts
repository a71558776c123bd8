import type { ConfigurationArgs } from "@pulumi/azure-native/dbforpostgresql";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

const allowedTls = ["TLSv1.2", "TLSv1.3"];

export const azurePostgresTls: WarblerResourcePolicy = {
  id: "azure-postgres-tls-required",
  name: "PostgreSQL Flexible Server refuses connections without TLS 1.2+",
  target: "azure",
  what:
    "No server parameter may turn 'require_secure_transport' off or set 'ssl_min_protocol_version' below TLS " +
    "1.2. (Flexible Server requires TLS by default; the policy stops a configuration from weakening it.)",
  why:
    "Without TLS, passwords and message contents cross the network in clear text; TLS 1.0 and 1.1 have known " +
    "weaknesses.",
  fix:
    "Remove the override, or set 'require_secure_transport' to \"on\" and 'ssl_min_protocol_version' to " +
    '"TLSv1.2" or "TLSv1.3".',
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.24",
    "ISO27001-A.8.21",
    "SOC2-CC6.7",
    "PCI-4.2.1",
    "GDPR-32",
    "CIS-AZ-PG-SSL",
    "MLPS-8.1.2.2",
  ],
  resourceTypes: ["azure-native:dbforpostgresql:Configuration"],
  validateResource: forTypes<ConfigurationArgs>(["azure-native:dbforpostgresql:Configuration"], (c, args, report) => {
    const name = String(c.configurationName ?? "").toLowerCase();
    if (name === "require_secure_transport") {
      if (String(c.value).toLowerCase() !== "on")
        report(`require_secure_transport is set to ${JSON.stringify(c.value)}; it must be "on"`);
    } else if (name === "ssl_min_protocol_version") {
      if (!allowedTls.includes(String(c.value)))
        report(`ssl_min_protocol_version is ${JSON.stringify(c.value)}; it must be TLSv1.2 or TLSv1.3`);
    } else {
      args.notApplicable("not a TLS parameter");
    }
  }),
};
