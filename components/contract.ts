import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import type * as pulumi from "@pulumi/pulumi";
import type { Cloud, Size } from "../config/clouds";
import type { CloudConfigRule } from "../config/load";
import type { PlatformConfig } from "../config/schema";
import type { ReplicationDialect } from "../failover/replication-sql";
import type { DnsFailoverProvider } from "./failover/dns-provider";
import type { RcloneBackend } from "./failover/file-sync-plan";
import type { ReplicationParameter } from "./failover/server-parameters";
import type { KitMocks } from "./mock-types";
import type { KitParity } from "./parity-cells";

/**
 * The cloud-neutral contract. Every kit (components/aws|azure|alicloud)
 * returns exactly these shapes; everything after the kit (the Kubernetes
 * layer, the IM chart, failover) reads only these and never asks which
 * cloud it runs on, except through values a kit hands over here.
 */

export interface NetworkOutputs {
  /** VPC (AWS, Alibaba) or VNet (Azure) id. */
  id: pulumi.Output<string>;
  /** Address range of the network, from config. */
  cidr: string;
  /** Zone names the subnets span, in order. */
  zones: string[];
  /** One per zone: nodes and pods. */
  privateSubnetIds: pulumi.Output<string>[];
  /** One per zone: the managed database. */
  databaseSubnetIds: pulumi.Output<string>[];
  /** One per zone: load balancers and NAT only. */
  publicSubnetIds: pulumi.Output<string>[];
  /**
   * Route tables of the private and database subnets, where a VPN gateway propagates the peer's range; absent where
   * the cloud routes a gateway's prefixes without them. @default - absent
   */
  routeTableIds?: pulumi.Output<string>[];
}

export interface KeyOutputs {
  /**
   * The customer-managed AES-256 key: KMS key ARN (AWS), versionless Key Vault key URI (Azure), KMS key id (Alibaba).
   */
  id: pulumi.Output<string>;
  /** Friendly name: KMS alias, Key Vault key name, KMS alias. */
  alias: pulumi.Output<string>;
}

/** How a pod gets a cloud identity without static credentials. */
export interface WorkloadIdentity {
  /** IRSA (EKS), Azure AD workload identity (AKS), RRSA (ACK). */
  kind: "irsa" | "azure-workload-identity" | "rrsa";
  /** Annotations to put on the Kubernetes ServiceAccount. */
  serviceAccountAnnotations: Record<string, pulumi.Output<string>>;
  /** Labels to put on pods that use it (Azure requires one). */
  podLabels: Record<string, string>;
  /** Labels to put on the namespace (ACK's RRSA webhook requires one). */
  namespaceLabels: Record<string, string>;
}

/**
 * A static public IPv4 address for the TURN relay. eturnal must announce the
 * address peers send media to, and it cannot learn it from behind the load
 * balancer, so the kit allocates it up front and binds the load balancer to it.
 */
export interface TurnAddress {
  /** The public IPv4 address; stable for the life of the stack. */
  ip: pulumi.Output<string>;
  /** Added to `udpAnnotations` on the TURN Service: they put its load balancer on `ip`. */
  annotations: Record<string, pulumi.Output<string> | string>;
  /** Zone the address is served from; the TURN pod must run there. Absent when the address is zone-redundant. */
  zone?: string;
}

/**
 * The ejabberd client Service's own load balancer, where the edge's kind cannot hold every session (one Alibaba CLB
 * holds at most 1,000,000 connections): the Service's `spec.loadBalancerClass`, and annotations that replace
 * `tcpAnnotations` on it, some known only after deploy (vSwitch ids).
 */
export interface ImClientLoadBalancer {
  /** `spec.loadBalancerClass` of the client Service, such as "alibabacloud.com/nlb"; immutable once created. */
  loadBalancerClass: string;
  /** Annotations of the client Service, in place of `tcpAnnotations`. */
  annotations: Record<string, pulumi.Output<string> | string>;
}

export interface ClusterOutputs {
  name: pulumi.Output<string>;
  /** Admin kubeconfig; always a secret. */
  kubeconfig: pulumi.Output<string>;
  /** Provider every Kubernetes resource of the stack uses. */
  provider: KubernetesProvider;
  /** Name of the default StorageClass whose volumes are encrypted with the stack's key. */
  storageClassName: string;
  /** Service annotations that put a LoadBalancer Service on the cloud's L4 load balancer. */
  loadBalancer: {
    /** For TCP services (the edge, XMPP client ports). */
    tcpAnnotations: Record<string, string>;
    /** For UDP services (TURN). */
    udpAnnotations: Record<string, string>;
    /** The static public address the TURN Service's load balancer answers on. */
    turnAddress: TurnAddress;
    /**
     * How a TCP client's address reaches the pod behind this load balancer: as the packets' source address, or in
     * a PROXY protocol v2 header the load balancer prepends. The edge and ejabberd's listeners read it from there.
     */
    clientAddress: "source" | "proxy-v2";
    /** The `spec.externalTrafficPolicy` LoadBalancer Services need on this cloud for `clientAddress` to hold. */
    externalTrafficPolicy: "Local" | "Cluster";
    /** Seconds the load balancer keeps an idle TCP flow; every keepalive (XMPP ping, WebSocket ping) is shorter. */
    tcpIdleTimeoutSeconds: number;
    /**
     * The ejabberd client Service's own load balancer; `clientAddress`, `externalTrafficPolicy` and
     * `tcpIdleTimeoutSeconds` hold for it too. @default - absent: the client Service takes `tcpAnnotations`
     */
    imClients?: ImClientLoadBalancer;
  };
  /** The bucket identity: what the upload service's ServiceAccount (`imWorkload` below) uses for the bucket and key. */
  imIdentity: WorkloadIdentity;
  /** What cert-manager needs to write DNS-01 records in `acme.dns01.zone`; absent when the stack solves HTTP-01. */
  acmeDns01?: AcmeDns01Access;
}

/**
 * cert-manager's access to the DNS-01 zone: a workload identity for its controller's ServiceAccount
 * (`certManagerWorkload`) where the cloud's solver takes one, or a key pair scoped to the zone where it does not.
 */
export interface AcmeDns01Access {
  /** Annotations and labels for the identity; absent when the solver signs with `keyPair`. */
  identity?: WorkloadIdentity;
  /** Client id of the identity, which cert-manager's azureDNS `managedIdentity.clientID` names. */
  clientId?: pulumi.Output<string>;
  /** An access key allowed only the zone's records, for a solver that cannot use workload identity; secrets. */
  keyPair?: { accessKeyId: pulumi.Output<string>; accessKeySecret: pulumi.Output<string> };
}

/** What a kit's cluster component provides of ClusterOutputs; the kit adds the rest from its other components. */
export type ClusterAccess = Pick<ClusterOutputs, "name" | "kubeconfig" | "provider">;

/** The Service annotations of a kit's load balancers; the TURN address comes from the kit's turn-address.ts. */
export type LoadBalancerAnnotations = Omit<ClusterOutputs["loadBalancer"], "turnAddress">;

/** One node pool as the config gives it; every kit's node-pool.ts builds one from it. */
export type NodePoolConfig = PlatformConfig["cluster"]["nodePools"][number];

/**
 * One machine of a kit's size tables (sizes.ts `nodeSizes`, `databaseSizes`):
 * the cloud's instance type, VM size or database class, and the capacity it
 * has, which must equal `sizeClass` of its abstract size on every cloud.
 */
export interface Machine {
  /** EC2 or RDS instance class, Azure VM size or Flexible Server SKU, ECS instance type or RDS class. */
  type: string;
  vcpu: number;
  memoryGiB: number;
}

/** A kit's size table: one machine per abstract size. */
export type SizeTable = Record<Size, Machine>;

export interface DatabaseOutputs {
  /** Private endpoint host name. */
  host: pulumi.Output<string>;
  port: pulumi.Output<number>;
  /** The application database. */
  database: pulumi.Output<string>;
  /** Admin user name. */
  username: pulumi.Output<string>;
  /** Admin password; always a secret. */
  password: pulumi.Output<string>;
  /** Clients verify the server certificate and host name. */
  sslMode: "verify-full";
  /** PEM bundle of the CA(s) that sign the server certificate on this cloud. */
  caBundle: pulumi.Output<string>;
}

export interface BucketOutputs {
  name: pulumi.Output<string>;
  /** HTTPS endpoint for the bucket's API (S3, OSS or Blob). */
  endpoint: pulumi.Output<string>;
  region: string;
  /** Wire protocol: S3 (AWS S3; Alibaba OSS speaks it too) or Azure Blob. */
  protocol: "s3" | "azure-blob";
  /** Azure only: the storage account that holds the container. */
  account?: pulumi.Output<string>;
}

/** What every kit returns. */
export interface PlatformOutputs {
  cloud: Cloud;
  region: string;
  network: NetworkOutputs;
  key: KeyOutputs;
  cluster: ClusterOutputs;
  database: DatabaseOutputs;
  bucket: BucketOutputs;
}

/**
 * Where the bucket identity is used. Kits need it up front: workload identity
 * trust (IRSA, federated credentials, RRSA) names the namespace and the
 * ServiceAccount, and both must match what the chart creates. The
 * ServiceAccount is the upload service's: only it (and the failover file-sync
 * CronJob, which copies the same bucket) holds the bucket and key; ejabberd
 * runs under a plain ServiceAccount of its own, with no cloud identity.
 */
export const imWorkload = {
  namespace: "warbler-im",
  serviceAccount: "warbler-upload",
} as const;

/**
 * Where cert-manager's controller runs (the chart's namespace and its default ServiceAccount name for a release
 * called cert-manager); DNS-01 identity trust names both.
 */
export const certManagerWorkload = { namespace: "cert-manager", serviceAccount: "cert-manager" } as const;

/** Tags every taggable cloud resource carries; policies require owner and data-classification. */
export interface StandardTags {
  owner: string;
  "data-classification": string;
  "managed-by": "warbler";
  "warbler-stack": string;
  "cost-center"?: string;
}

export interface KitArgs {
  /** The validated stack config. @default - none, required */
  config: PlatformConfig;
  /** The Pulumi stack name; seeds globally unique resource names. @default - none, required */
  stack: string;
}

/** A cloud kit: one ComponentResource that provisions every capability of the contract. */
export interface Kit extends pulumi.ComponentResource {
  readonly outputs: PlatformOutputs;
  /**
   * The explicit provider in the stack's region; whatever else the stack creates on this cloud (the failover link) uses
   * it too.
   */
  readonly cloudProvider: pulumi.ProviderResource;
}

export type KitConstructor = new (name: string, args: KitArgs, opts?: pulumi.ComponentResourceOptions) => Kit;

/** What a kit's end of the failover IPsec link takes. */
export interface VpnLinkArgs {
  /** This stack's network, from the kit. @default - none, required */
  network: NetworkOutputs;
  /** The stack's region; a kit whose gateways need a location puts them there. @default - none, required */
  region: string;
  /** The peer's range, routed over the tunnel. @default - none, required */
  peerCidr: string;
  /**
   * Public IP of the peer's VPN gateway; without it only this end's gateway is created.
   * @default - link completed by a later deploy
   */
  peerGatewayIp?: string;
  /**
   * Public IP of the peer's second tunnel, where the peer offers two (config failover.peer.secondGatewayIp).
   * @default - the first tunnel only
   */
  peerSecondGatewayIp?: string;
  /** IPsec pre-shared key, the same on both ends (a secret). @default - none, required */
  presharedKey: pulumi.Input<string>;
  /** Tags for every resource. @default - none, required */
  tags: Record<string, string>;
}

export interface VpnLinkOutputs {
  /** Public IP the peer's gateway connects to; the peer sets it as `failover.peer.gatewayIp`. */
  readonly gatewayIp: pulumi.Output<string | undefined>;
  /**
   * The second tunnel's public IP, where the gateway has two; the peer sets it as `failover.peer.secondGatewayIp`.
   * @default - absent: one tunnel address
   */
  readonly secondGatewayIp?: pulumi.Output<string | undefined>;
}

/** Creates a kit's end of the link: a ComponentResource named `name`. */
export type VpnFactory = (name: string, args: VpnLinkArgs, opts?: pulumi.ComponentResourceOptions) => VpnLinkOutputs;

/**
 * Everything cloud-specific that the cloud-neutral rooms need, handed over by
 * each kit (components/<cloud>/descriptor.ts) and reached only through the
 * registry in components/kits.ts. Nothing outside components/<cloud>/ switches
 * on the cloud.
 */
export interface KitDescriptor {
  cloud: Cloud;
  /** The kit's ComponentResource. */
  Kit: KitConstructor;
  /** What this kit cannot build from a config the cloud-neutral schema accepts; every problem at once. */
  configRules: CloudConfigRule;
  /**
   * Fabricated outputs of this cloud's resources and invokes for the offline plan, in the real API's shapes,
   * and of a stack of this cloud as a StackReference reads it.
   */
  mocks: KitMocks;
  /** This cloud's end of the failover IPsec link, in the kit's network. */
  vpn: VpnFactory;
  /** Health-checked DNS failover through this cloud's DNS service, for the global stack. */
  dnsFailover: DnsFailoverProvider;
  /** What this cloud's database and bucket need to replicate to or from a peer cloud. */
  replication: KitReplication;
  /** This cloud's cells of the parity matrix, and the differences it cannot avoid. */
  parity: KitParity;
}

/** What a kit's managed PostgreSQL and bucket need to replicate to or from a peer cloud. */
export interface KitReplication {
  /** How its PostgreSQL grants the right to replicate. */
  dialect: ReplicationDialect;
  /** Server parameters logical replication needs; set on both roles, since a switchover makes the standby publish. */
  serverParameters: readonly ReplicationParameter[];
  /** How rclone reaches its buckets, for the scheduled file copy. */
  files: RcloneBackend;
}
