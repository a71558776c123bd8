import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { kubernetesVersions } from "../../config/clouds";
import { ArgumentChecks } from "../../lib/check";
import type { ClusterAccess, NodePoolConfig } from "../contract";
import { AwsWorkloadIdentity } from "./identity";
import { renderKubeconfig } from "./kubeconfig";
import { AwsNodePool, type ImNodeGroupPlan } from "./node-pool";
import { ebsCsiKeyPolicy, eksSecretsKeyPolicy, type PolicyDocument, serviceTrust } from "./permissions";
import { clusterVersions, type EksAddonName, eksAddonVersions } from "./versions";

/** Every EKS control-plane log type: audit alone misses authentication and scheduling decisions. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/**
 * The VPC CNI add-on's settings. `enableNetworkPolicy` is off by default, and until it is on NetworkPolicies are
 * accepted and enforced by nothing
 * (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html).
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/** The access policy configured admin principals get, for the whole cluster. */
export const ADMIN_ACCESS_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/**
 * The tag the load balancer controller's IAM policy (permissions.ts) requires on every security group it changes.
 * It adds a rule to the cluster security group (the nodes', so the pods') admitting its NLBs' backend group; EKS
 * does not put this tag there.
 */
export const LB_CONTROLLER_TAG = "elbv2.k8s.aws/cluster";

export interface AwsClusterArgs {
  /** EKS cluster name (naming.ts). @default - none, required */
  clusterName: string;
  /** Kubernetes minor, pinned from config. @default - none, required */
  version: (typeof kubernetesVersions)[number];
  /** Region, for the kubeconfig's token command. @default - none, required */
  region: string;
  /** Private subnets, one per zone, for the control-plane interfaces and the nodes. @default - none, required */
  subnetIds: pulumi.Input<string>[];
  /** CIDRs allowed to reach a public API endpoint; empty keeps the endpoint private only. @default [] */
  publicAccessCidrs?: string[];
  /** CIDRs of in-network deployers admitted on 443 to the private endpoint. @default [] */
  privateAccessCidrs?: string[];
  /** IAM role or user ARNs given cluster-admin through EKS access entries. @default [] */
  adminPrincipals?: string[];
  /** Service ClusterIP range. @default - EKS picks 10.100.0.0/16 or 172.20.0.0/16 */
  serviceCidr?: string;
  /** Key ARN for Secrets envelope encryption, node disks and the log group. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Days the control-plane logs are kept. @default 365 */
  logRetentionDays?: number;
  /** Managed node pools. @default - none, required (at least one) */
  nodePools: NodePoolConfig[];
  /** The dedicated ejabberd node group (node-pool.ts `imNodeGroupPlan`). @default - none */
  imNodeGroup?: ImNodeGroupPlan;
  /** Tags on every resource. @default {} */
  tags?: Record<string, string>;
}

/**
 * EKS with a private API endpoint (public only for the listed CIDRs, and
 * reachable privately from the listed in-network ranges), Secrets encrypted
 * with the stack's key, every control-plane log type in an encrypted log
 * group, API-mode access entries (the deployer and the listed admins), an
 * IAM OIDC provider for IRSA, managed add-ons at pinned builds (the VPC CNI
 * enforcing NetworkPolicies), and managed node groups with auto repair.
 */
export class AwsCluster extends pulumi.ComponentResource {
  /** The kubeconfig authenticates through `aws eks get-token`: no static credential in state. */
  readonly outputs: ClusterAccess;
  readonly cluster: eks.Cluster;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly issuerUrl: pulumi.Output<string>;
  /** Resources that must exist before workloads are scheduled: the node groups and the add-ons. */
  readonly ready: pulumi.Resource[];
  /** The security group EKS creates for the control plane's interfaces and the managed nodes. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: AwsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Cluster", name, {}, opts);
    const publicAccessCidrs = args.publicAccessCidrs ?? [];
    const privateAccessCidrs = args.privateAccessCidrs ?? [];
    const adminPrincipals = args.adminPrincipals ?? [];
    const retention = args.logRetentionDays ?? 365;
    const check = new ArgumentChecks(`invalid AwsCluster '${name}'`);
    check.require(args.nodePools.length > 0, "nodePools", args.nodePools, "must list at least one pool");
    args.nodePools.forEach((pool, i) => {
      check.require(
        pool.name !== args.imNodeGroup?.poolName,
        `nodePools[${i}].name`,
        pool.name,
        "is the dedicated ejabberd node group's name; choose another",
      );
    });
    check.require(
      args.version in eksAddonVersions,
      "version",
      args.version,
      `must be one of ${Object.keys(eksAddonVersions).join(", ")}`,
    );
    check.require(
      Number.isInteger(retention) && retention >= 1,
      "logRetentionDays",
      retention,
      "must be a positive integer",
    );
    publicAccessCidrs.forEach((cidr, i) => {
      check.require(
        cidr !== "0.0.0.0/0",
        `publicAccessCidrs[${i}]`,
        cidr,
        "would open the API to the internet; list the networks that need it",
      );
    });
    privateAccessCidrs.forEach((cidr, i) => {
      check.require(
        cidr !== "0.0.0.0/0",
        `privateAccessCidrs[${i}]`,
        cidr,
        "would admit every network that reaches the VPC; list the deployers' ranges",
      );
    });
    adminPrincipals.forEach((arn, i) => {
      check.require(
        IAM_PRINCIPAL_ARN.test(arn),
        `adminPrincipals[${i}]`,
        arn,
        "must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)",
      );
    });
    check.throwIfAny(Error);
    const tags = args.tags ?? {};

    const clusterRole = new iam.Role(
      `${name}-cluster-role`,
      { assumeRolePolicy: JSON.stringify(serviceTrust("eks.amazonaws.com")), tags },
      { parent: this },
    );
    const clusterPolicy = new iam.RolePolicyAttachment(
      `${name}-cluster-policy`,
      { role: clusterRole.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" },
      { parent: this },
    );
    const clusterKeyPolicy = new iam.RolePolicy(
      `${name}-cluster-key`,
      {
        role: clusterRole.id,
        policy: pulumi.output(args.keyArn).apply((keyArn) => JSON.stringify(eksSecretsKeyPolicy(keyArn))),
      },
      { parent: this },
    );
    // EKS writes to exactly this name; creating it first sets retention and encryption before the first line.
    const logGroup = new cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: retention, kmsKeyId: args.keyArn, tags },
      { parent: this },
    );

    this.cluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: clusterVersions[args.version],
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: args.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicAccessCidrs.length > 0,
          ...(publicAccessCidrs.length > 0 ? { publicAccessCidrs } : {}),
        },
        encryptionConfig: { provider: { keyArn: args.keyArn }, resources: ["secrets"] },
        enabledClusterLogTypes: EKS_LOG_TYPES,
        // The deploying identity gets an admin access entry: the Kubernetes provider below acts as it.
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        kubernetesNetworkConfig: {
          ipFamily: "ipv4",
          ...(args.serviceCidr ? { serviceIpv4Cidr: args.serviceCidr } : {}),
        },
        // The add-ons are installed below as managed add-ons at pinned builds instead.
        bootstrapSelfManagedAddons: false,
        upgradePolicy: { supportType: "STANDARD" },
        tags,
      },
      { parent: this, dependsOn: [logGroup, clusterPolicy, clusterKeyPolicy] },
    );
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;
    // The private endpoint's interfaces carry the cluster security group, which admits only itself until told.
    privateAccessCidrs.forEach((cidr, i) => {
      new SecurityGroupIngressRule(
        `${name}-api-private-${i}`,
        {
          securityGroupId: this.clusterSecurityGroupId,
          description: "Kubernetes API from an in-network deployer",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: cidr,
          tags,
        },
        { parent: this },
      );
    });
    new ec2.Tag(
      `${name}-sg-lb-controller`,
      { resourceId: this.clusterSecurityGroupId, key: LB_CONTROLLER_TAG, value: args.clusterName },
      { parent: this },
    );
    adminPrincipals.forEach((principalArn, i) => {
      const entry = new eks.AccessEntry(
        `${name}-admin-${i}`,
        { clusterName: this.cluster.name, principalArn, type: "STANDARD", tags },
        { parent: this },
      );
      new eks.AccessPolicyAssociation(
        `${name}-admin-${i}`,
        {
          clusterName: this.cluster.name,
          principalArn,
          policyArn: ADMIN_ACCESS_POLICY_ARN,
          accessScope: { type: "cluster" },
        },
        // EKS refuses an association for a principal that has no access entry yet.
        { parent: this, dependsOn: [entry] },
      );
    });
    this.issuerUrl = this.cluster.identities.apply((ids) => ids[0].oidcs[0].issuer);
    const oidc = new iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: this.issuerUrl, clientIdLists: ["sts.amazonaws.com"], tags },
      { parent: this },
    );
    this.oidcProviderArn = oidc.arn;

    type Permissions = { policy?: pulumi.Input<PolicyDocument>; managedPolicyArns?: string[] };
    const irsa = (role: string, namespace: string, serviceAccount: string, extra: Permissions) =>
      new AwsWorkloadIdentity(
        `${name}-${role}`,
        { oidcProviderArn: oidc.arn, issuerUrl: this.issuerUrl, namespace, serviceAccount, tags, ...extra },
        { parent: this },
      );
    const cniRole = irsa("vpc-cni", "kube-system", "aws-node", {
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
    });
    const ebsCsiRole = irsa("ebs-csi", "kube-system", "ebs-csi-controller-sa", {
      managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
      policy: pulumi.output(args.keyArn).apply(ebsCsiKeyPolicy),
    });

    const versions = eksAddonVersions[args.version];
    const addon = (
      addonName: EksAddonName,
      serviceAccountRoleArn: pulumi.Input<string> | undefined,
      dependsOn: pulumi.Resource[],
      configuration?: Record<string, string>,
    ) =>
      new eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: this.cluster.name,
          addonName,
          addonVersion: versions[addonName],
          serviceAccountRoleArn,
          ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          tags,
        },
        { parent: this, dependsOn },
      );
    // Networking first: nodes stay NotReady, and node groups fail to create, until the CNI runs.
    const networking = [addon("vpc-cni", cniRole.arn, [], VPC_CNI_CONFIGURATION), addon("kube-proxy", undefined, [])];

    // EKS gives managed node groups' role its access entry itself.
    const nodeRole = new iam.Role(
      `${name}-node-role`,
      { assumeRolePolicy: JSON.stringify(serviceTrust("ec2.amazonaws.com")), tags },
      { parent: this },
    );
    const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
      (policy) =>
        new iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` },
          { parent: this },
        ),
    );
    // The ejabberd group is named like the config pools, which may therefore not be called `ejabberd`
    // (config-rules.ts).
    const poolSpecs = [
      ...args.nodePools.map(({ name: poolName, size, min, max }) => ({ poolName, size, min, max })),
      ...(args.imNodeGroup ? [args.imNodeGroup] : []),
    ];
    const pools = poolSpecs.map(
      (pool) =>
        new AwsNodePool(
          `${name}-pool-${pool.poolName}`,
          {
            clusterName: this.cluster.name,
            version: clusterVersions[args.version],
            ...pool,
            nodeRoleArn: nodeRole.arn,
            subnetIds: args.subnetIds,
            keyArn: args.keyArn,
            tags,
          },
          { parent: this, dependsOn: [...networking, ...nodePolicies] },
        ),
    );
    const workloads = [addon("coredns", undefined, pools), addon("aws-ebs-csi-driver", ebsCsiRole.arn, pools)];
    this.ready = [...pools, ...networking, ...workloads];

    const kubeconfig = pulumi.secret(
      pulumi
        .all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority])
        .apply(([clusterName, endpoint, ca]) =>
          renderKubeconfig({ clusterName, endpoint, certificateAuthorityData: ca.data ?? "", region: args.region }),
        ),
    );
    const provider = new KubernetesProvider(`${name}-k8s`, { kubeconfig }, { parent: this, dependsOn: this.ready });
    this.outputs = { name: this.cluster.name, kubeconfig, provider };
    this.registerOutputs({
      name: this.cluster.name,
      oidcProviderArn: this.oidcProviderArn,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      kubeconfig,
    });
  }
}

/**
 * What an EKS access entry takes: an IAM role or user ARN, not an STS assumed-role session
 * (https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html).
 */
export const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
