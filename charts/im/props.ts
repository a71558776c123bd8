import { ArgumentChecks } from "../../lib/check";
import { cidrProblem } from "../../lib/cidr";

/**
 * Everything the IM chart needs, as plain values. The chart knows nothing of
 * Pulumi or clouds: the Kubernetes layer (components/kubernetes/) builds this
 * from the platform outputs and `warbler:im` config. Values a cloud decides
 * (load-balancer annotations, identity labels) arrive here as data.
 */
export interface ImChartProps {
  /** The XMPP domain; also the TLS host name of the ingress and the client ports. */
  readonly domain: string;
  /** The rendered ejabberd.yml (charts/im/ejabberd-config.ts, cluster profile). */
  readonly ejabberdConfig: string;
  /** Changes whenever the rendered config or its secrets change, so pods roll. */
  readonly configChecksum: string;
  /** Labels every object carries; policies require owner and data-classification. */
  readonly labels: { readonly owner: string; readonly dataClassification: string };
  /** ejabberd cluster nodes. @default 3 */
  readonly replicas?: number;
  /** Container images, pinned by tag or digest. @default - `defaultImages` */
  readonly images?: Partial<ImImages>;
  /**
   * Source CIDRs allowed to reach /api and /admin through the ingress; empty publishes neither (kubectl port-forward
   * only). Never 0.0.0.0/0.
   */
  readonly adminCidrs: string[];
  /** Annotations for the `ejabberd` ServiceAccount (the kit's workload identity). */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** Labels pods with the workload identity need (Azure requires one). @default {} */
  readonly identityPodLabels?: Record<string, string>;
  /** Labels the namespace needs for the workload identity (ACK RRSA). @default {} */
  readonly identityNamespaceLabels?: Record<string, string>;
  /** Annotations that put a LoadBalancer Service on the cloud's L4 load balancer. */
  readonly loadBalancer: {
    readonly tcpAnnotations: Record<string, string>;
    readonly udpAnnotations: Record<string, string>;
  };
  /** Private address ranges the managed PostgreSQL lives in (egress allow). */
  readonly databaseCidrs: string[];
  /** PostgreSQL port (egress allow). @default 5432 */
  readonly databasePort?: number;
  /** Namespace of the ingress-nginx controller (ingress allow). @default "ingress-nginx" */
  readonly ingressNamespace?: string;
  /** Namespace of the Prometheus that scrapes the metrics (ingress allow). @default "monitoring" */
  readonly monitoringNamespace?: string;
  /** ClusterIssuer that signs the domain's certificate. @default "letsencrypt" */
  readonly clusterIssuer?: string;
  /** The upload gateway (s3proxy) that stores XEP-0363 files in the kit's bucket. */
  readonly uploads: UploadGatewayProps;
  /** The TURN server (eturnal) for voice and video. */
  readonly turn?: TurnProps;
  /** The metrics exporter sidecar (charts/im/exporter/), bundled to one JavaScript file. */
  readonly exporter: ExporterProps;
}

export interface ImImages {
  /** ejabberd, the same release as the Debian package the end-to-end tests run. */
  ejabberd: string;
  /** STUN/TURN server. */
  eturnal: string;
  /** S3 API in front of the bucket (S3, OSS or Azure Blob). */
  s3proxy: string;
  /** Node.js runtime for the exporter sidecar. */
  node: string;
}

/** Pinned images; never `latest`. ejabberd matches Debian 12's 23.01 so tested and deployed configs agree. */
export const defaultImages: ImImages = {
  ejabberd: "ghcr.io/processone/ejabberd:23.01",
  eturnal: "ghcr.io/processone/eturnal:1.12.1",
  s3proxy: "andrewgaul/s3proxy:s3proxy-2.6.0",
  node: "node:20.19.5-alpine3.22",
};

export interface UploadGatewayProps {
  /**
   * Storage backend of s3proxy: `aws-s3` (S3, and OSS through its S3 API) or
   * `azureblob-sdk` (Azure Blob). Both authenticate with the pod's workload
   * identity when no static credential is given.
   */
  readonly backend: "aws-s3" | "azureblob-sdk";
  /** HTTPS endpoint of the bucket's API (the kit's `bucket.endpoint`). */
  readonly endpoint: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Host name clients PUT and GET files on; served by the ingress with TLS. @default `upload.<domain>` */
  readonly host?: string;
  /** Largest upload the ingress accepts, in MiB; keep in step with ejabberd's max_size. @default 100 */
  readonly maxBodyMiB?: number;
  /**
   * Set when the gateway reaches the bucket with a static key pair (the
   * `JCLOUDS_IDENTITY` and `JCLOUDS_CREDENTIAL` keys of the gateway's Secret)
   * instead of workload identity: a hash that changes with the key pair, so
   * the gateway's pods roll when it is rotated. @default - workload identity
   */
  readonly staticCredentialsChecksum?: string;
}

export interface TurnProps {
  /**
   * Public IPv4 address eturnal announces for relayed media (the UDP load balancer's address). @default - eturnal
   * detects it
   */
  readonly relayIpv4?: string;
  /**
   * Annotations added to `loadBalancer.udpAnnotations` on the TURN Service: they bind its load balancer to `relayIpv4`.
   * @default {}
   */
  readonly loadBalancerAnnotations?: Record<string, string>;
  /**
   * Zone (`topology.kubernetes.io/zone`) the TURN pod must run in, when the address is served from one zone only.
   * @default - any zone
   */
  readonly zone?: string;
  /**
   * First and last UDP relay port; each one is a load-balancer listener, so keep the range within the cloud's limit.
   * @default [50000, 50039]
   */
  readonly relayPorts?: readonly [number, number];
}

export interface ExporterProps {
  /** The exporter as one bundled CommonJS file. */
  readonly script: string;
  /** Port the exporter serves /metrics on. @default 9150 */
  readonly port?: number;
}

/** Names of the Secrets the Kubernetes layer creates from secret Outputs; the chart only references them. */
export const imSecretNames = {
  /** `cookie`: the Erlang distribution cookie. */
  erlangCookie: "ejabberd-erlang-cookie",
  /** `secrets.yml`: the macro file ejabberd.yml includes (SQL password, TURN secret, gateway keys). */
  ejabberdSecrets: "ejabberd-secrets",
  /** `ca.pem`: the database CA bundle (not secret, but delivered the same way). */
  databaseCa: "ejabberd-database-ca",
  /** `ETURNAL_SECRET`: shared with ejabberd's mod_stun_disco. */
  turn: "eturnal-secret",
  /**
   * `S3PROXY_IDENTITY` / `S3PROXY_CREDENTIAL`: what ejabberd signs upload URLs with; `JCLOUDS_IDENTITY` /
   * `JCLOUDS_CREDENTIAL`: the bucket's static key pair, when the kit hands one over.
   */
  uploadGateway: "upload-gateway-credentials",
  /** `url`: postgres:// URL (verify-full) the exporter checks the database with. */
  exporterDatabase: "ejabberd-exporter-database",
  /** One key per administrator user name (config admins plus the metrics account), holding its password. */
  admins: "ejabberd-admins",
} as const;

export const imNamespace = "warbler-im";

/** Fixed ports of the services beside ejabberd (its own are in ejabberd-config.ts and erlang-tuning.ts). */
export const imPorts = {
  uploadGateway: 8080,
  turn: 3478,
  turnMetrics: 8081,
} as const;

export type ResolvedImChartProps = Required<Omit<ImChartProps, "turn" | "images" | "uploads" | "exporter">> & {
  images: ImImages;
  uploads: Required<Omit<UploadGatewayProps, "staticCredentialsChecksum">> &
    Pick<UploadGatewayProps, "staticCredentialsChecksum">;
  turn?: TurnProps & { relayPorts: readonly [number, number] };
  exporter: Required<ExporterProps>;
};

/** Applies defaults and checks every prop; throws once, listing each bad key, its value and what is allowed. */
export function resolveImChartProps(props: ImChartProps): ResolvedImChartProps {
  const check = new ArgumentChecks("invalid IM chart props");
  const images = { ...defaultImages, ...props.images };
  const unpinned = "must be pinned by a version tag or a digest, never 'latest' or untagged";
  for (const [key, image] of Object.entries(images)) check.require(isPinned(image), `images.${key}`, image, unpinned);
  const replicas = props.replicas ?? 3;
  const replicasOk = Number.isInteger(replicas) && replicas >= 1 && replicas <= 50;
  check.require(replicasOk, "replicas", replicas, "must be an integer from 1 to 50");
  const internetWide = "must not be the whole Internet; /api and /admin are for allow-listed networks only";
  props.adminCidrs.forEach((cidr, i) => {
    const problem = cidrProblem(cidr);
    if (problem) check.add(`adminCidrs[${i}]`, cidr, problem);
    else check.require(!cidr.endsWith("/0"), `adminCidrs[${i}]`, cidr, internetWide);
  });
  const noNetwork = "must name the network the database is in";
  check.require(props.databaseCidrs.length > 0, "databaseCidrs", props.databaseCidrs, noNetwork);
  props.databaseCidrs.forEach((cidr, i) => {
    const problem = cidrProblem(cidr);
    if (problem) check.add(`databaseCidrs[${i}]`, cidr, problem);
  });
  const relayPorts = props.turn?.relayPorts ?? ([50000, 50039] as const);
  if (
    props.turn &&
    !(
      Number.isInteger(relayPorts[0]) &&
      relayPorts[0] >= 1024 &&
      relayPorts[1] >= relayPorts[0] &&
      relayPorts[1] - relayPorts[0] < 100 &&
      relayPorts[1] <= 65535
    )
  ) {
    check.add("turn.relayPorts", relayPorts, "must be a range of 1 to 100 ports between 1024 and 65535");
  }
  check.throwIfAny(Error);
  return {
    ...props,
    replicas,
    images,
    identityPodLabels: props.identityPodLabels ?? {},
    identityNamespaceLabels: props.identityNamespaceLabels ?? {},
    databasePort: props.databasePort ?? 5432,
    ingressNamespace: props.ingressNamespace ?? "ingress-nginx",
    monitoringNamespace: props.monitoringNamespace ?? "monitoring",
    clusterIssuer: props.clusterIssuer ?? "letsencrypt",
    uploads: {
      ...props.uploads,
      host: props.uploads.host ?? `upload.${props.domain}`,
      maxBodyMiB: props.uploads.maxBodyMiB ?? 100,
    },
    turn: props.turn ? { ...props.turn, relayPorts } : undefined,
    exporter: { script: props.exporter.script, port: props.exporter.port ?? 9150 },
  };
}

/** A tag other than `latest`, or a digest. */
export function isPinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "";
  return tag !== "" && tag !== "latest";
}
