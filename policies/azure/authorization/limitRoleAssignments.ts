import type { RoleAssignmentArgs } from "@pulumi/azure-native/authorization";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

/** Built-in role definition ids that confer control over access or everything. */
const privilegedRoles: Record<string, string> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};

export const azureRoleAssignmentLeastPrivilege: WarblerResourcePolicy = {
  id: "azure-role-assignment-least-privilege",
  name: "Role assignments do not grant Owner, Contributor or access administration",
  target: "azure",
  what:
    "No role assignment created by the stack may grant Owner, Contributor, User Access Administrator or Role " +
    "Based Access Control Administrator.",
  why:
    "The assignments go to the cluster's and workloads' managed identities. A broad role turns a compromised " +
    "pod into control of the subscription or of who may access it.",
  fix:
    "Assign the narrow built-in role the identity needs (e.g. Key Vault Crypto Service Encryption User, Storage " +
    "Blob Data Contributor, Network Contributor on the subnet) at the narrowest scope.",
  severity: "high",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.2", "ISO27001-A.5.15", "SOC2-CC6.3", "PCI-7.2.1", "MLPS-8.1.4.2"],
  resourceTypes: ["azure-native:authorization:RoleAssignment"],
  validateResource: forTypes<RoleAssignmentArgs>(["azure-native:authorization:RoleAssignment"], (a, _args, report) => {
    const id =
      String(a.roleDefinitionId ?? "")
        .split("/")
        .pop()
        ?.toLowerCase() ?? "";
    if (privilegedRoles[id]) report(`assigns the ${privilegedRoles[id]} role at scope ${a.scope}`);
  }),
};
