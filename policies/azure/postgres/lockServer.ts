import type { WarblerStackPolicy } from "../../policy";
import { refersTo } from "../../props";

const SERVER = "azure-native:dbforpostgresql:Server";
const locks = [
  "azure-native:authorization:ManagementLockByScope",
  "azure-native:authorization:ManagementLockAtResourceLevel",
];

export const azurePostgresDeleteLock: WarblerStackPolicy = {
  id: "azure-postgres-deletion-protection",
  name: "PostgreSQL Flexible Server is protected from deletion",
  target: "azure",
  what:
    "Every PostgreSQL Flexible Server must carry a 'CanNotDelete' (or 'ReadOnly') management lock, on itself or " +
    "an enclosing resource group, or be marked 'protect' in Pulumi. Azure has no deletion-protection switch on " +
    "the server itself; the lock is its equivalent.",
  why: "A single mistaken 'pulumi destroy' or portal click must not erase the message archive and user directory.",
  fix:
    "Create an 'azure-native:authorization:ManagementLockByScope' with 'scope' set to the server id and 'level: " +
    "\"CanNotDelete\"' (the Warbler Azure kit does this when 'warbler:database.deletionProtection' is true).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.13", "ISO27001-A.8.32", "SOC2-A1.2", "SOC2-CC8.1", "GDPR-32", "MLPS-8.1.4.9"],
  resourceTypes: [SERVER, ...locks],
  validateStack: (args, report) => {
    const servers = args.resources.filter((r) => r.type === SERVER);
    if (servers.length === 0) args.notApplicable("the stack has no PostgreSQL Flexible Server");
    // A ReadOnly lock also refuses deletion.
    const cannotDelete = args.resources.filter(
      (r) => locks.includes(r.type) && ["CanNotDelete", "ReadOnly"].includes(String(r.props.level)),
    );
    for (const server of servers) {
      const locked =
        server.opts.protect ||
        cannotDelete.some(
          (l) =>
            refersTo(l, "scope", server) ||
            refersTo(l, "resourceName", server) ||
            // Locks are inherited: one on the resource group or subscription covers the server.
            (typeof l.props.scope === "string" &&
              typeof server.props.id === "string" &&
              server.props.id.startsWith(`${l.props.scope}/`)),
        );
      if (!locked) report(`server '${server.name}' has no CanNotDelete lock`, server.urn);
    }
  },
};
