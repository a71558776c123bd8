import type * as pulumi from "@pulumi/pulumi";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import type { Cloud } from "../config/clouds";
import type { ConfigIssue } from "../config/load";
import type { PlatformConfig } from "../config/schema";
import type { ProviderMocks } from "./mock-types";

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
}

export interface KeyOutputs {
  /** The customer-managed AES-256 key: KMS key ARN (AWS), versionless Key Vault key URI (Azure), KMS key id (Alibaba). */
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
    /** For TCP services (ingress-nginx, XMPP client ports). */
    tcpAnnotations: Record<string, string>;
    /** For UDP services (TURN). */
    udpAnnotations: Record<string, string>;
    /** The static public address the TURN Service's load balancer answers on. */
    turnAddress: TurnAddress;
  };
  /** Identity for the IM workload (`imWorkload` below) to reach the bucket and key. */
  imIdentity: WorkloadIdentity;
}

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
  /**
   * A key pair scoped to this bucket (and the key that encrypts it), for a
   * workload that cannot use `imIdentity` (s3proxy cannot use Alibaba's
   * RRSA). Both values are secrets. Absent when workload identity suffices.
   */
  staticCredentials?: BucketCredentials;
}

/** An access key for the bucket's S3-compatible API. */
export interface BucketCredentials {
  /** Access key id; a secret. */
  accessKeyId: pulumi.Output<string>;
  /** Secret access key; a secret. */
  secretAccessKey: pulumi.Output<string>;
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
 * Where the IM workload runs. Kits need it up front: workload identity
 * trust (IRSA, federated credentials, RRSA) names the namespace and the
 * ServiceAccount, and both must match what the chart creates.
 */
export const imWorkload = {
  namespace: "warbler-im",
  serviceAccount: "ejabberd",
} as const;

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
  /** The explicit provider in the stack's region; whatever else the stack creates on this cloud (the failover link) uses it too. */
  readonly cloudProvider: pulumi.ProviderResource;
}

export type KitConstructor = new (name: string, args: KitArgs, opts?: pulumi.ComponentResourceOptions) => Kit;

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
  configRules: (config: PlatformConfig) => ConfigIssue[];
  /** Fabricated outputs of this cloud's resources and invokes for the offline plan, in the real API's shapes. */
  mocks: ProviderMocks;
}
