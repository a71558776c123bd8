import type { RoleArgs, RolePolicyArgs, RolePolicyAttachmentArgs } from "@pulumi/aws/iam";
import { rolePrivilegesPolicy } from "../../common/rolePrivileges";

const adminPolicies = [":policy/AdministratorAccess", ":policy/IAMFullAccess"];

export const awsIamRoleNoAdmin = rolePrivilegesPolicy<RoleArgs & RolePolicyArgs & RolePolicyAttachmentArgs>({
  id: "aws-iam-least-privilege",
  name: "IAM roles do not grant administrator access",
  target: "aws",
  what:
    "No IAM role, role policy or policy attachment created by the stack may grant AdministratorAccess or " +
    "IAMFullAccess, or allow every action on every resource.",
  why:
    "The roles are assumed by the cluster, nodes and workloads. If one of them is an administrator, a " +
    "compromised pod can take over the whole AWS account.",
  fix:
    "Attach only the AWS-managed policies the service needs (e.g. AmazonEKSClusterPolicy, " +
    "AmazonEKSWorkerNodePolicy) or inline policies scoped to named actions and resources.",
  grants: {
    "aws:iam/role:Role": (role) => [
      ...(role.managedPolicyArns ?? []).map((arn) => ({ label: `managed policy ${arn}`, builtin: arn })),
      ...(role.inlinePolicies ?? []).map((p) => ({ label: `inline policy '${p.name ?? "?"}'`, document: p.policy })),
    ],
    "aws:iam/rolePolicy:RolePolicy": (p) => [{ label: "the policy", document: p.policy }],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (a) => [
      { label: `policy ${a.policyArn}`, builtin: a.policyArn },
    ],
  },
  isAdmin: (arn) => adminPolicies.some((p) => arn.endsWith(p)),
});
