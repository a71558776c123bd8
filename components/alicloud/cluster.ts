import { getClusterCredentialOutput, ManagedKubernetes, NodePool } from "@pulumi/alicloud/cs";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAccess, NodePoolConfig } from "../contract";
import { nodePoolArgs } from "./node-pool";

export interface AlicloudClusterArgs {
  /** ACK cluster name, unique in the account. @default - none, required */
  clusterName: string;
  /** Exact ACK release (versions.ts). @default - none, required */
  version: string;
  /** Private vSwitches, one per zone: control-plane ENIs, nodes, and (Terway) pods. @default - none, required */
  vswitchIds: pulumi.Input<string>[];
  /** Cluster-internal Service range. @default - none, required */
  serviceCidr: string;
  /** Security group of the nodes. @default - none, required */
  securityGroupId: pulumi.Input<string>;
  /** KMS key id: encrypts Kubernetes Secrets and every node disk. @default - none, required */
  keyId: pulumi.Input<string>;
  /** SLS project for control-plane and audit logs. @default - none, required */
  logProject: pulumi.Input<string>;
  /** Days the control-plane logs are kept. @default - none, required */
  logRetentionDays: number;
  /** Autoscaling node pools, spread evenly over the vSwitches' zones. @default - none, required */
  nodePools: NodePoolConfig[];
  /** Tags for the cluster and its nodes. @default - none, required */
  tags: Record<string, string>;
  /** Refuse to delete the cluster until this is turned off. @default true */
  deletionProtection?: boolean;
  /** System disk of each node in GiB. @default 120 */
  systemDiskGb?: number;
  /** Data disk (container images and ephemeral storage) of each node in GiB. @default 200 */
  dataDiskGb?: number;
}

/** Control-plane components whose logs go to SLS; `ccm` shows load balancer changes. */
export const controlPlaneLogComponents = ["apiserver", "kcm", "scheduler", "ccm"] as const;

/**
 * Add-ons installed when the cluster is created. Terway (ENI multi-IP) rather
 * than Flannel: only Terway enforces the NetworkPolicies the Kubernetes layer
 * relies on for default-deny, and it gives pods VPC addresses from the
 * private vSwitches, so `cluster.podCidr` is not used on this cloud. Versions
 * are not set: ACK installs the release validated for the pinned cluster
 * version, so they are pinned through it.
 */
export const clusterAddons = [
  { name: "terway-eniip", config: JSON.stringify({ IPVlan: "false", NetworkPolicy: "true", ENITrunking: "false" }) },
  { name: "csi-plugin" },
  { name: "managed-csiprovisioner" },
  { name: "ack-pod-identity-webhook" },
  // The Kubernetes layer installs ingress-nginx itself.
  { name: "nginx-ingress-controller", disabled: true },
];

/**
 * ACK Pro managed cluster with a private API endpoint only, Secrets
 * encrypted with the stack's key, control-plane and audit logs in SLS, RRSA
 * for workload identity, and autoscaling node pools whose disks are
 * encrypted with the key and which boot with the IM kernel settings.
 */
export class AlicloudCluster extends pulumi.ComponentResource {
  /** The kubeconfig is ACK's admin credential, pointing at the private API endpoint. */
  readonly outputs: ClusterAccess;
  /** RRSA OIDC provider ARN and issuer URL, for workload identity roles. */
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;

  constructor(name: string, args: AlicloudClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:Cluster", name, {}, opts);
    const cluster = new ManagedKubernetes(
      `${name}-ack`,
      {
        name: args.clusterName,
        clusterSpec: "ack.pro.small",
        version: args.version,
        vswitchIds: args.vswitchIds,
        podVswitchIds: args.vswitchIds,
        serviceCidr: args.serviceCidr,
        securityGroupId: args.securityGroupId,
        // The network component owns the NAT gateway; the API server gets no internet-facing load balancer.
        newNatGateway: false,
        slbInternetEnabled: false,
        encryptionProviderKey: args.keyId,
        disableEncryption: false,
        enableRrsa: true,
        controlPlaneLogComponents: [...controlPlaneLogComponents],
        controlPlaneLogProject: args.logProject,
        controlPlaneLogTtl: String(args.logRetentionDays),
        auditLogConfig: { enabled: true, slsProjectName: args.logProject },
        addons: clusterAddons,
        proxyMode: "ipvs",
        ipStack: "ipv4",
        deletionProtection: args.deletionProtection ?? true,
        skipSetCertificateAuthority: true,
        tags: args.tags,
      },
      { parent: this },
    );

    const { vswitchIds, securityGroupId, keyId, tags, systemDiskGb, dataDiskGb } = args;
    const pools = { clusterId: cluster.id, vswitchIds, securityGroupId, keyId, tags, systemDiskGb, dataDiskGb };
    for (const pool of args.nodePools) {
      new NodePool(`${name}-pool-${pool.name}`, nodePoolArgs(pool, pools), { parent: this });
    }

    const credential = getClusterCredentialOutput({ clusterId: cluster.id }, { parent: this });
    const kubeconfig = pulumi.secret(credential.kubeConfig);
    const provider = new KubernetesProvider(
      `${name}-k8s`,
      { kubeconfig, enableServerSideApply: true },
      { parent: this },
    );
    this.outputs = { name: cluster.name, kubeconfig, provider };
    this.oidcProviderArn = cluster.rrsaMetadata.apply((m) => m.ramOidcProviderArn);
    this.oidcIssuerUrl = cluster.rrsaMetadata.apply((m) => m.rrsaOidcIssuerUrl);
    this.registerOutputs({ id: cluster.id, name: cluster.name, oidcProviderArn: this.oidcProviderArn });
  }
}
