import { defaultEjabberdImage, keepaliveSilenceSeconds } from "../../config/im";
import { ArgumentChecks } from "../../lib/check";
import { cidrProblem } from "../../lib/cidr";
import { sizingPolicy } from "../../lib/im-sizing";

/**
 * Everything the IM chart needs, as plain values. The chart knows nothing of
 * Pulumi or clouds: the Kubernetes layer (components/kubernetes/) builds this
 * from the platform outputs and `warbler:im` config. Values a cloud decides
 * (load-balancer annotations, identity labels) arrive here as data.
 */
export interface ImChartProps {
  /** The XMPP domain; also the TLS host name of the Gateway and the client ports. */
  readonly domain: string;
  /** The rendered ejabberd.yml (charts/im/ejabberd-config.ts, cluster profile). */
  readonly ejabberdConfig: string;
  /** Changes whenever the rendered config or its secrets change, so pods roll. */
  readonly configChecksum: string;
  /** Labels every object carries; policies require owner and data-classification. */
  readonly labels: { readonly owner: string; readonly dataClassification: string };
  /** ejabberd cluster nodes. @default 3 */
  readonly replicas?: number;
  /** Concurrent sessions one ejabberd node is sized for (lib/im-sizing.ts). @default 1000000 */
  readonly sessionsPerInstance?: number;
  /** Container images, pinned by tag or digest. @default - `defaultImages` */
  readonly images?: Partial<ImImages>;
  /**
   * Source CIDRs allowed to reach /api, /admin and /grafana through the Gateway; empty publishes none of them
   * (kubectl port-forward only). Never 0.0.0.0/0.
   */
  readonly adminCidrs: string[];
  /** Annotations for the upload service's ServiceAccount (the kit's workload identity for the bucket). */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** Labels pods with the workload identity need (Azure requires one). @default {} */
  readonly identityPodLabels?: Record<string, string>;
  /** Labels the namespace needs for the workload identity (ACK RRSA). @default {} */
  readonly identityNamespaceLabels?: Record<string, string>;
  /** Annotations that put a LoadBalancer Service on the cloud's L4 load balancer, and how client addresses fare. */
  readonly loadBalancer: {
    readonly tcpAnnotations: Record<string, string>;
    readonly udpAnnotations: Record<string, string>;
    /** How a TCP client's address reaches the pod: packets' source, or a PROXY v2 header (the kit's contract). */
    readonly clientAddress: "source" | "proxy-v2";
    /** What LoadBalancer Services need on this cloud for `clientAddress` to hold. */
    readonly externalTrafficPolicy: "Local" | "Cluster";
    /**
     * The XMPP client Service's own load balancer (`spec.loadBalancerClass` and the annotations that replace
     * `tcpAnnotations` on it). @default - absent: the client Service takes `tcpAnnotations`
     */
    readonly clients?: { readonly loadBalancerClass: string; readonly annotations: Record<string, string> };
  };
  /** Private address ranges the managed PostgreSQL lives in (egress allow). */
  readonly databaseCidrs: string[];
  /** PostgreSQL port (egress allow). @default 5432 */
  readonly databasePort?: number;
  /** The edge: the GatewayClass the chart's Gateway uses and where its Envoy proxies run. */
  readonly gateway?: GatewayProps;
  /**
   * Push notifications (XEP-0357): ejabberd's mod_push and mod_push_keepalive are on, and ejabberd may open
   * server-to-server TLS connections (5269) to public addresses, where app servers' push components live.
   * @default false
   */
  readonly push?: boolean;
  /** Namespace of the Prometheus that scrapes the metrics (ingress allow). @default "monitoring" */
  readonly monitoringNamespace?: string;
  /** ClusterIssuer that signs the domain's certificate. @default "letsencrypt" */
  readonly clusterIssuer?: string;
  /** Warbler's upload service, which stores XEP-0363 files in the kit's bucket. */
  readonly uploads: UploadServiceProps;
  /** The TURN server (eturnal) for voice and video. */
  readonly turn?: TurnProps;
  /** The metrics exporter sidecar (charts/im/exporter/), bundled to one JavaScript file. */
  readonly exporter: ExporterProps;
  /**
   * The database TLS proxy sidecar (charts/im/sql-tls-proxy/) ejabberd reaches PostgreSQL through: it verifies the
   * certificate's host name, which ejabberd cannot (processone/ejabberd#4180).
   */
  readonly sqlTlsProxy: SqlTlsProxyProps;
}

export interface GatewayProps {
  /** The GatewayClass Envoy Gateway serves (components/kubernetes/envoy-gateway.ts). @default "warbler" */
  readonly className?: string;
  /**
   * Namespace the Envoy proxy pods run in (Envoy Gateway's own, by default): with `gatewayProxyPodLabels`, the only
   * peers admitted to the backends. @default "envoy-gateway-system"
   */
  readonly proxyNamespace?: string;
  /** Seconds the Gateway keeps an idle client connection (`warbler:im.edgeIdleTimeoutSeconds`). @default 3600 */
  readonly idleTimeoutSeconds?: number;
  /**
   * Grafana's Service, routed at https://<domain>/grafana behind the admin allow-list; absent, no such route.
   * @default - none
   */
  readonly grafana?: { readonly namespace: string; readonly service: string; readonly port: number };
}

export interface ImImages {
  /**
   * ejabberd, ProcessOne's image; its tag names the release the config is rendered for (the local profile renders
   * for Debian's 23.01, which the end-to-end tests run).
   */
  ejabberd: string;
  /** STUN/TURN server. */
  eturnal: string;
  /** Node.js runtime for the exporter sidecar and the upload service. */
  node: string;
}

/** Pinned images; never `latest`. ejabberd's default and its reasons are in config/im.ts (`warbler:im.image`). */
export const defaultImages: ImImages = {
  ejabberd: defaultEjabberdImage,
  eturnal: "ghcr.io/processone/eturnal:1.12.1",
  node: "node:20.19.5-alpine3.22",
};

export interface UploadServiceProps {
  /**
   * How the service reaches the bucket: `s3` (AWS S3, IRSA), `oss` (Alibaba OSS through its S3-compatible API, RRSA)
   * or `azure-blob` (Azure Blob, workload identity).
   */
  readonly backend: "s3" | "oss" | "azure-blob";
  /** Bucket (container, on Azure Blob) the files go to. */
  readonly bucket: string;
  /** HTTPS endpoint of the bucket's API as pods reach it (the kit's `bucket.endpoint`). */
  readonly endpoint: string;
  /** Region of the bucket. */
  readonly region: string;
  /** KMS key the service asks S3 or OSS to encrypt each object with. @default - the bucket's default encryption */
  readonly kmsKeyId?: string;
  /** Host name clients PUT and GET files on; served by the ingress with TLS. @default `upload.<domain>` */
  readonly host?: string;
  /** Largest file, in MiB: ejabberd's max_size, the service's limit and the ingress's body limit. @default 100 */
  readonly maxFileMiB?: number;
  /** Bytes of files each user may keep, in MiB. @default 1024 */
  readonly quotaMiB?: number;
  /** The service as one compressed CommonJS file (components/kubernetes/upload-bundle.ts). */
  readonly bundle: UploadBundle;
}

/** The upload service's code, compressed to fit a ConfigMap, and the command that runs it from there. */
export interface UploadBundle {
  /** The ConfigMap's binaryData: the compressed bundle, base64, under its file name. */
  readonly binaryData: Record<string, string>;
  /** SHA-256 of the compressed bundle: pods roll when the code changes. */
  readonly sha256: string;
  /** The container's command with the ConfigMap mounted at `uploadServicePaths.bundle`. */
  readonly command: string[];
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
  /**
   * Host name on the TURN certificate; set, eturnal also serves TURN over TLS on `imPorts.turnStream` with a
   * cert-manager certificate for it. The name must resolve to `relayIpv4`. @default - TURN over TCP without TLS
   */
  readonly tlsHost?: string;
}

export interface ExporterProps {
  /** The exporter as one bundled CommonJS file. */
  readonly script: string;
  /** Port the exporter serves /metrics on. @default 9150 */
  readonly port?: number;
}

export interface SqlTlsProxyProps {
  /** The proxy as one bundled CommonJS file (components/kubernetes/bundle.ts). */
  readonly script: string;
  /**
   * The database's host name, as its certificate names it: the proxy connects there on `databasePort` and checks
   * the certificate against it and the database CA bundle.
   */
  readonly upstreamHost: string;
}

/** Names of the Secrets the Kubernetes layer creates from secret Outputs; the chart only references them. */
export const imSecretNames = {
  /** `cookie`: the Erlang distribution cookie. */
  erlangCookie: "ejabberd-erlang-cookie",
  /** `secrets.yml`: the macro file ejabberd.yml includes (SQL password, TURN secret, upload slot secret). */
  ejabberdSecrets: "ejabberd-secrets",
  /** `ca.pem`: the database CA bundle (not secret, but delivered the same way). */
  databaseCa: "ejabberd-database-ca",
  /** `ETURNAL_SECRET`: shared with ejabberd's mod_stun_disco. */
  turn: "eturnal-secret",
  /** `secret`: mod_http_upload's external_secret, which the upload service checks slots with. */
  uploadService: "warbler-upload-secret",
  /** `url`: postgres:// URL (verify-full) of the upload service's own database role. */
  uploadDatabase: "warbler-upload-database",
  /** `url`: postgres:// URL (verify-full) the exporter checks the database with. */
  exporterDatabase: "ejabberd-exporter-database",
  /** One key per administrator user name (config admins plus the metrics account), holding its password. */
  admins: "ejabberd-admins",
} as const;

export const imNamespace = "warbler-im";

/** Labels every object of the IM charts carries; policies require owner and data-classification. */
export function imObjectLabels(labels: ImChartProps["labels"]): Record<string, string> {
  return {
    owner: labels.owner,
    "data-classification": labels.dataClassification,
    "app.kubernetes.io/part-of": "warbler-im",
    "app.kubernetes.io/managed-by": "warbler",
  };
}

/** The chart's Gateway: its name, in the IM namespace, names the Envoy proxy pods Envoy Gateway runs for it. */
export const imGatewayName = "warbler-edge";

/**
 * Labels Envoy Gateway puts on the proxy pods (and Service) of one Gateway: the owning Gateway's name and namespace
 * (the labels its docs and users select proxies by, e.g. `kubectl get pods -l
 * gateway.envoyproxy.io/owning-gateway-name=eg` in the Envoy Gateway quickstart tasks).
 */
export const gatewayProxyPodLabels: Record<string, string> = {
  "gateway.envoyproxy.io/owning-gateway-name": imGatewayName,
  "gateway.envoyproxy.io/owning-gateway-namespace": imNamespace,
};

/**
 * One ServiceAccount per workload. Only the upload service's carries the kit's workload identity for the bucket; the
 * Kubernetes layer checks that its name is the contract's (`imWorkload`).
 */
export const imServiceAccounts = { ejabberd: "ejabberd", upload: "warbler-upload", turn: "eturnal" } as const;

/** Fixed ports of the services beside ejabberd (its own are in ejabberd-config.ts and erlang-tuning.ts). */
export const imPorts = {
  uploadService: 8080,
  uploadMetrics: 9151,
  /** STUN/TURN over UDP, on the pod and the load balancer. */
  turn: 3478,
  /** TURN over TCP and TLS on one pod socket (eturnal `transport: auto`), published as `turnStream`. */
  turnStreamTarget: 5349,
  /**
   * TURN over TCP and TLS as clients reach it: 443, which networks that block UDP usually still let out, on the TURN
   * address of its own (no clash with the ingress). eturnal's container docs name 443 for this listener.
   */
  turnStream: 443,
  turnMetrics: 8081,
  /** The database TLS proxy, on 127.0.0.1 in ejabberd's pod: ejabberd.yml's `sql_port`. */
  sqlTlsProxy: 15432,
  /**
   * The proxy's health answer (HTTP /healthz) on the pod's address: the kubelet probes the pod IP, never loopback, and
   * the proxy itself must stay on loopback.
   */
  sqlTlsProxyHealth: 9152,
} as const;

export type ResolvedImChartProps = Required<
  Omit<ImChartProps, "turn" | "images" | "uploads" | "exporter" | "gateway">
> & {
  images: ImImages;
  gateway: Required<Omit<GatewayProps, "grafana">> & Pick<GatewayProps, "grafana">;
  uploads: Required<Omit<UploadServiceProps, "kmsKeyId">> & Pick<UploadServiceProps, "kmsKeyId">;
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
  const sessionsPerInstance = props.sessionsPerInstance ?? 1_000_000;
  const { minSessions, maxSessions } = sizingPolicy;
  check.require(
    Number.isInteger(sessionsPerInstance) && sessionsPerInstance >= minSessions && sessionsPerInstance <= maxSessions,
    "sessionsPerInstance",
    sessionsPerInstance,
    `must be an integer from ${minSessions} to ${maxSessions}`,
  );
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
      relayPorts[1] - relayPorts[0] < 1000 &&
      relayPorts[1] <= 65535
    )
  ) {
    check.add("turn.relayPorts", relayPorts, "must be a range of 1 to 1000 ports between 1024 and 65535");
  }
  const sizes = { "uploads.maxFileMiB": props.uploads.maxFileMiB, "uploads.quotaMiB": props.uploads.quotaMiB };
  for (const [key, value] of Object.entries(sizes)) {
    const ok = value === undefined || (Number.isInteger(value) && value >= 1);
    check.require(ok, key, value, "must be a positive whole number of MiB");
  }
  const idle = props.gateway?.idleTimeoutSeconds;
  const idleOk = idle === undefined || (Number.isInteger(idle) && idle > keepaliveSilenceSeconds);
  const idleAllowed = `must be whole seconds above ${keepaliveSilenceSeconds}, the longest silence of a live session`;
  check.require(idleOk, "gateway.idleTimeoutSeconds", idle, idleAllowed);
  const upstreamHost = props.sqlTlsProxy.upstreamHost;
  const hostOk = /^[^\s/:]+$/.test(upstreamHost) && !["127.0.0.1", "localhost", "::1"].includes(upstreamHost);
  const hostAllowed = "must be the database's host name as its certificate names it, not loopback or a URL";
  check.require(hostOk, "sqlTlsProxy.upstreamHost", upstreamHost, hostAllowed);
  check.throwIfAny(Error);
  return {
    ...props,
    replicas,
    sessionsPerInstance,
    images,
    identityPodLabels: props.identityPodLabels ?? {},
    identityNamespaceLabels: props.identityNamespaceLabels ?? {},
    databasePort: props.databasePort ?? 5432,
    gateway: {
      className: props.gateway?.className ?? "warbler",
      proxyNamespace: props.gateway?.proxyNamespace ?? "envoy-gateway-system",
      idleTimeoutSeconds: props.gateway?.idleTimeoutSeconds ?? 3600,
      ...(props.gateway?.grafana ? { grafana: props.gateway.grafana } : {}),
    },
    push: props.push ?? false,
    monitoringNamespace: props.monitoringNamespace ?? "monitoring",
    clusterIssuer: props.clusterIssuer ?? "letsencrypt",
    uploads: {
      ...props.uploads,
      host: props.uploads.host ?? `upload.${props.domain}`,
      maxFileMiB: props.uploads.maxFileMiB ?? 100,
      quotaMiB: props.uploads.quotaMiB ?? 1024,
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
