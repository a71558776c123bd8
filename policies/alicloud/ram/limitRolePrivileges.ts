import type { PolicyArgs, RolePolicyAttachmentArgs, UserPolicyAttachmentArgs } from "@pulumi/alicloud/ram";
import { type Grant, rolePrivilegesPolicy } from "../../common/rolePrivileges";

const adminPolicies = ["AdministratorAccess", "AliyunRAMFullAccess"];

/** Only system policies are Alibaba's own; a custom policy of the same name is judged by its document. */
function attached(a: { policyType?: string; policyName?: string }): Grant[] {
  return a.policyType === "System" ? [{ label: `the ${a.policyName} system policy`, builtin: a.policyName }] : [];
}

export const alicloudRamLeastPrivilege = rolePrivilegesPolicy<
  PolicyArgs & RolePolicyAttachmentArgs & UserPolicyAttachmentArgs
>({
  id: "alicloud-ram-least-privilege",
  name: "RAM roles and users do not grant administrator access",
  target: "alicloud",
  what:
    "No RAM policy created by the stack may allow every action on every resource, and no role or user may be " +
    "attached the AdministratorAccess or AliyunRAMFullAccess system policy. (InfraGuard " +
    "ram-policy-no-statements-with-admin-access-check.)",
  why:
    "The roles are assumed by ApsaraDB and by workloads through RRSA, and a user whose access key is held in the " +
    "cluster (the DNS-01 webhook's, when enabled) signs its own calls. If one of them is an administrator, a " +
    "compromised pod can take over the whole account.",
  fix:
    "Write custom policies that name the actions and the one bucket or key they are for (as the Warbler Alibaba " +
    "kit does).",
  grants: {
    "alicloud:ram/policy:Policy": (p) => [{ label: "the policy", document: p.policyDocument ?? p.document }],
    "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": attached,
    "alicloud:ram/userPolicyAttachment:UserPolicyAttachment": attached,
  },
  isAdmin: (name) => adminPolicies.includes(name),
});
