import type { PolicyArgs, RolePolicyAttachmentArgs, UserPolicyAttachmentArgs } from "@pulumi/alicloud/ram";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { allowsEverything } from "../../props";

const POLICY = "alicloud:ram/policy:Policy";
const ATTACHMENT = "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment";
const USER_ATTACHMENT = "alicloud:ram/userPolicyAttachment:UserPolicyAttachment";
const adminPolicies = ["AdministratorAccess", "AliyunRAMFullAccess"];

export const alicloudRamLeastPrivilege: WarblerResourcePolicy = {
  id: "alicloud-ram-least-privilege",
  name: "RAM roles and users do not grant administrator access",
  target: "alicloud",
  what: "No RAM policy created by the stack may allow every action on every resource, and no role or user may be attached the AdministratorAccess or AliyunRAMFullAccess system policy. (InfraGuard ram-policy-no-statements-with-admin-access-check.)",
  why: "The roles are assumed by ApsaraDB and by workloads through RRSA, and the upload gateway's user signs with an access key held in the cluster. If one of them is an administrator, a compromised pod can take over the whole account.",
  fix: "Write custom policies that name the actions and the one bucket or key they are for (as the Warbler Alibaba kit does).",
  severity: "high",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.2", "ISO27001-A.5.15", "SOC2-CC6.3", "PCI-7.2.1", "MLPS-8.1.4.2"],
  resourceTypes: [POLICY, ATTACHMENT, USER_ATTACHMENT],
  validateResource: forTypes<PolicyArgs & RolePolicyAttachmentArgs & UserPolicyAttachmentArgs>([POLICY, ATTACHMENT, USER_ATTACHMENT], (p, args, report) => {
    if (args.type === POLICY) {
      if (allowsEverything(p.policyDocument ?? p.document)) report("the policy allows every action on every resource");
      return;
    }
    if (p.policyType === "System" && adminPolicies.includes(String(p.policyName))) report(`attaches the ${p.policyName} system policy`);
  }),
};
