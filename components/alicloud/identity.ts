import { Policy, Role, RolePolicyAttachment } from "@pulumi/alicloud/ram";
import * as pulumi from "@pulumi/pulumi";
import { imWorkload, type WorkloadIdentity } from "../contract";
import { rrsaTrustPolicy, workloadAccessPolicy } from "./permissions";

export interface AlicloudWorkloadIdentityArgs {
  /** RAM role name, unique in the account. @default - none, required */
  roleName: string;
  /** RAM policy name, unique in the account. @default - none, required */
  policyName: string;
  /** ARN of the cluster's RRSA OIDC provider in RAM. @default - none, required */
  oidcProviderArn: pulumi.Input<string>;
  /** Issuer URL of the cluster's RRSA tokens. @default - none, required */
  issuerUrl: pulumi.Input<string>;
  /** The bucket the workload reads and writes. @default - none, required */
  bucket: pulumi.Input<string>;
  /** Resource name of the KMS key the workload may use. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Tags for the role and policy. @default - none, required */
  tags: Record<string, string>;
}

/**
 * RRSA's webhook injects credentials into pods of namespaces with this label, for ServiceAccounts with this annotation.
 */
export const rrsaNamespaceLabel = "pod-identity.alibabacloud.com/injection";
export const rrsaRoleAnnotation = "pod-identity.alibabacloud.com/role-name";

/**
 * RRSA (RAM Roles for Service Accounts): a RAM role that only the IM
 * workload's ServiceAccount can assume, through the cluster's OIDC
 * provider, allowed to use the one bucket and the one key. No static
 * AccessKey ever reaches a pod.
 */
export class AlicloudWorkloadIdentity extends pulumi.ComponentResource {
  readonly outputs: WorkloadIdentity;
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: AlicloudWorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:WorkloadIdentity", name, {}, opts);
    const role = new Role(
      `${name}-role`,
      {
        roleName: args.roleName,
        description: `Assumed by ${imWorkload.namespace}/${imWorkload.serviceAccount} through RRSA`,
        assumeRolePolicyDocument: pulumi
          .all([args.oidcProviderArn, args.issuerUrl])
          .apply(([arn, issuer]) => rrsaTrustPolicy(arn, issuer, imWorkload.namespace, imWorkload.serviceAccount)),
        maxSessionDuration: 3600,
        tags: args.tags,
      },
      { parent: this },
    );
    const policy = new Policy(
      `${name}-policy`,
      {
        policyName: args.policyName,
        description: "Warbler IM workload: its bucket and its key, nothing else",
        policyDocument: pulumi
          .all([args.bucket, args.keyArn])
          .apply(([bucket, keyArn]) => workloadAccessPolicy(bucket, keyArn)),
        tags: args.tags,
      },
      { parent: this },
    );
    new RolePolicyAttachment(
      `${name}-attachment`,
      { roleName: role.roleName, policyName: policy.policyName, policyType: "Custom" },
      { parent: this },
    );
    this.roleArn = role.arn;
    this.outputs = {
      kind: "rrsa",
      serviceAccountAnnotations: { [rrsaRoleAnnotation]: role.roleName },
      podLabels: {},
      namespaceLabels: { [rrsaNamespaceLabel]: "on" },
    };
    this.registerOutputs({ roleArn: role.arn, roleName: role.roleName });
  }
}
