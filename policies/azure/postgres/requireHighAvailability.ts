import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const azurePostgresHa: WarblerResourcePolicy = {
  id: "azure-postgres-zone-redundant-ha",
  name: "PostgreSQL Flexible Server runs a standby in a second zone",
  target: "azure",
  what: "Every PostgreSQL Flexible Server should use zone-redundant high availability.",
  why: "A single-zone database takes the whole IM service down with its zone and may lose the last committed messages.",
  fix:
    "Keep 'warbler:database.highAvailability: true' (the default), which sets 'highAvailability.mode: " +
    '"ZoneRedundant"\'.',
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.14", "SOC2-A1.2", "MLPS-8.1.4.9"],
  resourceTypes: ["azure-native:dbforpostgresql:Server"],
  validateResource: forTypes<ServerArgs>(["azure-native:dbforpostgresql:Server"], (s, _args, report) => {
    if (String(s.highAvailability?.mode) !== "ZoneRedundant")
      report(
        `highAvailability.mode (${JSON.stringify(s.highAvailability?.mode ?? "Disabled")}) is not "ZoneRedundant"`,
      );
  }),
};
