import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isSet } from "../../props";

export const azurePostgresPrivate: WarblerResourcePolicy = {
  id: "azure-postgres-no-public-access",
  name: "PostgreSQL Flexible Server is reachable only from the virtual network",
  target: "azure",
  what:
    "Every PostgreSQL Flexible Server must be injected into a delegated subnet (private access) and have public " +
    "network access disabled.",
  why:
    "A server with public access gets a public endpoint; only its firewall rules then stand between the " +
    "internet and every stored message.",
  fix:
    "Set 'network: { delegatedSubnetResourceId: <subnet>, privateDnsZoneArmResourceId: <zone>, " +
    'publicNetworkAccess: "Disabled" }\' (the Warbler Azure kit does this).',
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.20",
    "ISO27001-A.8.3",
    "SOC2-CC6.6",
    "PCI-1.4.4",
    "GDPR-32",
    "CIS-AZ-PG-PUBLIC",
    "MLPS-8.1.3.1",
  ],
  resourceTypes: ["azure-native:dbforpostgresql:Server"],
  validateResource: forTypes<ServerArgs>(["azure-native:dbforpostgresql:Server"], (s, _args, report) => {
    if (String(s.network?.publicNetworkAccess) !== "Disabled")
      report(
        `network.publicNetworkAccess (${JSON.stringify(s.network?.publicNetworkAccess ?? "Enabled")}) must be ` +
          `"Disabled"`,
      );
    if (!isSet(s.network?.delegatedSubnetResourceId))
      report("network.delegatedSubnetResourceId is not set; the server is not in the virtual network");
  }),
};
