import { AccessKey, Policy, Role, RolePolicyAttachment, User, UserPolicyAttachment } from "@pulumi/alicloud/ram";
import * as pulumi from "@pulumi/pulumi";
import { imWorkload, type WorkloadIdentity } from "../contract";
import { alidnsDns01Policy, rrsaTrustPolicy, workloadAccessPolicy } from "./permissions";

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

export interface AlicloudDns01CredentialsArgs {
  /** RAM user name, unique in the account. @default - none, required */
  userName: string;
  /** RAM policy name, unique in the account. @default - none, required */
  policyName: string;
  /** The Alibaba Cloud DNS domain (zone) whose records the key may change. @default - none, required */
  zone: string;
  /** Tags for the user and the policy. @default - none, required */
  tags: Record<string, string>;
}

/**
 * A RAM user with one access key, allowed only the DNS-01 record calls on the one zone. It exists because the alidns
 * webhook (github.com/wjiec/alidns-webhook) signs with a key pair read from a Secret and cannot use RRSA. No console
 * login, no other grant; rotating the key is `pulumi up --replace` on the AccessKey (docs/im.md, Certificates).
 */
export class AlicloudDns01Credentials extends pulumi.ComponentResource {
  /** The key pair; both values are secrets. */
  readonly keyPair: { accessKeyId: pulumi.Output<string>; accessKeySecret: pulumi.Output<string> };

  constructor(name: string, args: AlicloudDns01CredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:Dns01Credentials", name, {}, opts);
    const user = new User(
      `${name}-user`,
      {
        name: args.userName,
        displayName: args.userName,
        comments: `Warbler cert-manager DNS-01: TXT challenge records of ${args.zone} only`,
        tags: args.tags,
      },
      { parent: this },
    );
    const policy = new Policy(
      `${name}-policy`,
      {
        policyName: args.policyName,
        description: `Warbler cert-manager DNS-01: records of ${args.zone}, nothing else`,
        policyDocument: alidnsDns01Policy(args.zone),
        tags: args.tags,
      },
      { parent: this },
    );
    const attachment = new UserPolicyAttachment(
      `${name}-attachment`,
      { userName: user.name, policyName: policy.policyName, policyType: "Custom" },
      { parent: this },
    );
    // Created after the grant, so the key never works with fewer rights than it is handed over for.
    const key = new AccessKey(
      `${name}-key`,
      { userName: user.name, status: "Active" },
      { parent: this, dependsOn: [attachment] },
    );
    this.keyPair = { accessKeyId: pulumi.secret(key.id), accessKeySecret: pulumi.secret(key.secret) };
    this.registerOutputs({ userName: user.name });
  }
}
