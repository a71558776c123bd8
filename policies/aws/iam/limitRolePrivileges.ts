import type { RoleArgs, RolePolicyArgs, RolePolicyAttachmentArgs } from "@pulumi/aws/iam";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { allowsEverything } from "../../props";

const ROLE = "aws:iam/role:Role";
const INLINE = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const adminPolicies = [":policy/AdministratorAccess", ":policy/IAMFullAccess"];

const isAdminArn = (arn: unknown) => adminPolicies.some((p) => String(arn).endsWith(p));

export const awsIamRoleNoAdmin: WarblerResourcePolicy = {
  id: "aws-iam-least-privilege",
  name: "IAM roles do not grant administrator access",
  target: "aws",
  what: "No IAM role, role policy or policy attachment created by the stack may grant AdministratorAccess or IAMFullAccess, or allow every action on every resource.",
  why: "The roles are assumed by the cluster, nodes and workloads. If one of them is an administrator, a compromised pod can take over the whole AWS account.",
  fix: "Attach only the AWS-managed policies the service needs (e.g. AmazonEKSClusterPolicy, AmazonEKSWorkerNodePolicy) or inline policies scoped to named actions and resources.",
  severity: "high",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.2", "ISO27001-A.5.15", "SOC2-CC6.3", "PCI-7.2.1", "MLPS-8.1.4.2"],
  resourceTypes: [ROLE, INLINE, ATTACHMENT],
  validateResource: forTypes<RoleArgs & RolePolicyArgs & RolePolicyAttachmentArgs>([ROLE, INLINE, ATTACHMENT], (p, args, report) => {
    if (args.type === ATTACHMENT) {
      if (isAdminArn(p.policyArn)) report(`policy ${p.policyArn} grants administrator access`);
      return;
    }
    if (args.type === INLINE) {
      if (allowsEverything(p.policy)) report("the policy allows every action on every resource");
      return;
    }
    for (const arn of p.managedPolicyArns ?? []) if (isAdminArn(arn)) report(`managed policy ${arn} grants administrator access`);
    for (const inline of p.inlinePolicies ?? []) {
      if (allowsEverything(inline.policy)) report(`inline policy '${inline.name ?? "?"}' allows every action on every resource`);
    }
  }),
};
