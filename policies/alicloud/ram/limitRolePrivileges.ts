import type { PolicyArgs, RolePolicyAttachmentArgs } from "@pulumi/alicloud/ram";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { allowsEverything } from "../../props";

const POLICY = "alicloud:ram/policy:Policy";
const ATTACHMENT = "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment";
const adminPolicies = ["AdministratorAccess", "AliyunRAMFullAccess"];

export const alicloudRamLeastPrivilege: WarblerResourcePolicy = {
  id: "alicloud-ram-least-privilege",
  name: "RAM roles do not grant administrator access",
  target: "alicloud",
  what: "No RAM policy created by the stack may allow every action on every resource, and no role may be attached the AdministratorAccess or AliyunRAMFullAccess system policy. (InfraGuard ram-policy-no-statements-with-admin-access-check.)",
  why: "The roles are assumed by ApsaraDB and by workloads through RRSA. If one of them is an administrator, a compromised pod can take over the whole account.",
  fix: "Write custom policies that name the actions and the one bucket or key they are for (as the Warbler Alibaba kit does).",
  severity: "high",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.2", "ISO27001-A.5.15", "SOC2-CC6.3", "PCI-7.2.1", "MLPS-8.1.4.2"],
  resourceTypes: [POLICY, ATTACHMENT],
  validateResource: forTypes<PolicyArgs & RolePolicyAttachmentArgs>([POLICY, ATTACHMENT], (p, args, report) => {
    if (args.type === POLICY) {
      if (allowsEverything(p.policyDocument ?? p.document)) report("the policy allows every action on every resource");
      return;
    }
    if (p.policyType === "System" && adminPolicies.includes(String(p.policyName))) report(`attaches the ${p.policyName} system policy`);
  }),
};
