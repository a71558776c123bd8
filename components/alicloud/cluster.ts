import { AutoscalingConfig, getClusterCredentialOutput, ManagedKubernetes, NodePool } from "@pulumi/alicloud/cs";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { imNodePool } from "../../lib/im-sizing";
import type { ClusterAccess, NodePoolConfig } from "../contract";
import { autoscalerSettings, ejabberdPoolArgs, nodePoolArgs, systemPoolArgs } from "./node-pool";

export interface AlicloudClusterArgs {
  /** ACK cluster name, unique in the account. @default - none, required */
  clusterName: pulumi.Input<string>;
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
  /** The dedicated ejabberd pool: one node per instance, of the r7 type sized for it. @default - none, required */
  ejabberdPool: { replicas: number; instanceType: string };
  /** Tags for the cluster and its nodes. @default - none, required */
  tags: Record<string, string>;
  /** Refuse to delete the cluster until this is turned off. @default true */
  deletionProtection?: boolean;
  /** System disk of each node in GiB. @default 120 */
  systemDiskGb?: number;
  /** Data disk (container images and ephemeral storage) of each node in GiB. @default 200 */
  dataDiskGb?: number;
  /** MLPS 2.0 level 3 node OS hardening instead of Alibaba Cloud Linux's default hardening. @default false */
  mlpsHardening?: boolean;
  /** Minutes the deploy's kubeconfig stays valid, 15 to 4320. @default 180 */
  credentialMinutes?: number;
}

/**
 * ACK's kubeconfig with its API server replaced by the private endpoint. The provider asks
 * DescribeClusterUserKubeconfig for the public credential only (terraform-provider-alicloud
 * alicloud/service_alicloud_cs.go, DescribeClusterKubeConfigWithExpiration: `PrivateIpAddress: tea.Bool(false)`);
 * the private one differs only in `server`, the API server's intranet address
 * (https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/
 * api-cs-2015-12-15-describeclusteruserkubeconfig), which the cluster reports as `connections.apiServerIntranet`.
 */
export function privateKubeconfig(kubeconfig: string, intranetServer: string): string {
  if (!/^https:\/\/[^\s]+$/.test(intranetServer))
    throw new Error(`the cluster reports no private API endpoint (apiServerIntranet "${intranetServer}")`);
  const servers = kubeconfig.match(/^(\s+server:\s).*$/gm) ?? [];
  if (servers.length !== 1) throw new Error(`expected one cluster server in ACK's kubeconfig, found ${servers.length}`);
  return kubeconfig.replace(/^(\s+server:\s).*$/m, `$1${intranetServer}`);
}

/** The credential's lifetime: DescribeClusterUserKubeconfig takes 15 to 4320 minutes (getClusterCredential.d.ts). */
export function credentialMinutes(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 15 || minutes > 4320)
    throw new RangeError(`credentialMinutes (${minutes}) must be an integer from 15 to 4320`);
  return minutes;
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
  // ACK offers its nginx ingress add-on by default; the edge is Envoy Gateway, which the Kubernetes layer installs.
  { name: "nginx-ingress-controller", disabled: true },
];

/**
 * ACK Pro managed cluster with a private API endpoint only, Secrets
 * encrypted with the stack's key, control-plane and audit logs in SLS, RRSA
 * for workload identity, a fixed system pool and the dedicated ejabberd pool beside autoscaling node pools
 * (whose disks are encrypted with the key and which boot with the IM kernel
 * settings), and the cluster autoscaler's settings. `pulumi up` reaches the
 * API server from inside the network (`cluster.privateAccessCidrs`) with a
 * temporary credential.
 */
export class AlicloudCluster extends pulumi.ComponentResource {
  /** The kubeconfig is a temporary ACK admin credential, pointing at the private API endpoint. */
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
    const mlpsHardening = args.mlpsHardening ?? false;
    const pools = {
      clusterId: cluster.id,
      vswitchIds,
      securityGroupId,
      keyId,
      tags,
      systemDiskGb,
      dataDiskGb,
      mlpsHardening,
    };
    new NodePool(`${name}-pool-system`, systemPoolArgs(args.vswitchIds.length, pools), { parent: this });
    for (const pool of args.nodePools) {
      new NodePool(`${name}-pool-${pool.name}`, nodePoolArgs(pool, pools), { parent: this });
    }
    const { replicas, instanceType } = args.ejabberdPool;
    new NodePool(`${name}-pool-${imNodePool.name}`, ejabberdPoolArgs(replicas, instanceType, pools), {
      parent: this,
    });
    new AutoscalingConfig(`${name}-autoscaler`, { clusterId: cluster.id, ...autoscalerSettings }, { parent: this });

    // A temporary credential: the state keeps a kubeconfig that expires, not ACK's long-lived default one.
    const credential = getClusterCredentialOutput(
      { clusterId: cluster.id, temporaryDurationMinutes: credentialMinutes(args.credentialMinutes ?? 180) },
      { parent: this },
    );
    const kubeconfig = pulumi.secret(
      pulumi
        .all([credential.kubeConfig, cluster.connections])
        .apply(([config, connections]) => privateKubeconfig(config, connections.apiServerIntranet ?? "")),
    );
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
