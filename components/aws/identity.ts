import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadIdentity } from "../contract";
import { irsaTrust, type PolicyDocument } from "./permissions";

export interface AwsWorkloadIdentityArgs {
  /** ARN of the cluster's IAM OIDC provider. @default - none, required */
  oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL. @default - none, required */
  issuerUrl: pulumi.Input<string>;
  /** Namespace of the ServiceAccount the role trusts. @default - none, required */
  namespace: string;
  /** The one ServiceAccount the role trusts. @default - none, required */
  serviceAccount: string;
  /** Inline permissions, built once the inputs they name are known. @default - none */
  policy?: pulumi.Input<PolicyDocument>;
  /** AWS managed policies to attach. @default [] */
  managedPolicyArns?: string[];
  /** Tags for the role. @default {} */
  tags?: Record<string, string>;
}

/** The ServiceAccount annotation through which EKS hands a pod the role's credentials. */
export const irsaRoleAnnotation = "eks.amazonaws.com/role-arn";

/**
 * An IAM role for one Kubernetes ServiceAccount (IRSA): pods of that
 * account get short-lived credentials from the cluster's OIDC tokens, and
 * no other pod can assume it. The type token keeps its first name, IrsaRole:
 * a new token would replace every deployed role.
 */
export class AwsWorkloadIdentity extends pulumi.ComponentResource {
  readonly outputs: WorkloadIdentity;
  readonly role: iam.Role;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AwsWorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:IrsaRole", name, {}, opts);
    const { namespace, serviceAccount } = args;
    const assumeRolePolicy = pulumi
      .all([args.oidcProviderArn, args.issuerUrl])
      .apply(([oidcProviderArn, issuerUrl]) =>
        JSON.stringify(irsaTrust({ oidcProviderArn, issuerUrl, namespace, serviceAccount })),
      );
    this.role = new iam.Role(
      `${name}-role`,
      { description: `IRSA for ${args.namespace}/${args.serviceAccount}`, assumeRolePolicy, tags: args.tags },
      { parent: this },
    );
    if (args.policy) {
      new iam.RolePolicy(
        `${name}-policy`,
        { role: this.role.id, policy: pulumi.output(args.policy).apply((p) => JSON.stringify(p)) },
        { parent: this },
      );
    }
    (args.managedPolicyArns ?? []).forEach((policyArn, i) => {
      new iam.RolePolicyAttachment(`${name}-managed-${i}`, { role: this.role.name, policyArn }, { parent: this });
    });
    this.arn = this.role.arn;
    this.outputs = {
      kind: "irsa",
      serviceAccountAnnotations: { [irsaRoleAnnotation]: this.arn },
      podLabels: {},
      namespaceLabels: {},
    };
    this.registerOutputs({ arn: this.arn });
  }
}
