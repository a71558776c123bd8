import type { DatabaseSetupProps } from "../../charts/im/database-job";
import { defaultImDatabaseRoles } from "../../charts/im/database-roles";
import { ejabberdPaths, exporterAccount } from "../../charts/im/ejabberd";
import type { EjabberdSpec } from "../../charts/im/ejabberd-config";
import { type ImChartProps, imPorts, type UploadBundle, type UploadServiceProps } from "../../charts/im/props";
import { ejabberdGateway } from "../../charts/im/routes";
import { ejabberdRelease, imReplicas } from "../../config/im";
import type { PlatformConfig } from "../../config/schema";
import type { BucketOutputs, ClusterOutputs, WorkloadIdentity } from "../contract";
import { clusterIssuerNames } from "./cert-manager";
import { imImagesThroughMirror, setupImagesThroughMirror } from "./mirror-values";
import { helmCharts } from "./versions";

/**
 * The platform facts the IM services need, as strings. In the component
 * these are placeholders for Outputs (see Deferred); in tests, sample values.
 */
export interface ImPlatformFacts {
  databaseHost: string;
  databasePort: number;
  databaseName: string;
  databaseUser: string;
  bucketName: string;
  bucketEndpoint: string;
  bucketRegion: string;
  bucketProtocol: BucketOutputs["protocol"];
  /** How pods get cloud credentials: with the bucket protocol, it decides the upload service's backend. */
  identityKind: WorkloadIdentity["kind"];
  /** The stack's KMS key (ARN on AWS, key id on Alibaba): S3 and OSS objects are encrypted with it. */
  keyId: string;
  serviceAccountAnnotations: Record<string, string>;
  identityPodLabels: Record<string, string>;
  identityNamespaceLabels: Record<string, string>;
  tcpAnnotations: Record<string, string>;
  udpAnnotations: Record<string, string>;
  /** How a TCP client's address reaches the pods behind the kit's load balancer. */
  clientAddress: ClusterOutputs["loadBalancer"]["clientAddress"];
  /** What LoadBalancer Services need for `clientAddress` to hold. */
  externalTrafficPolicy: ClusterOutputs["loadBalancer"]["externalTrafficPolicy"];
  /** The kit's static public IPv4 for TURN: eturnal announces it, and ejabberd hands it to clients. */
  turnRelayIpv4: string;
  /** Bind the TURN Service's load balancer to that address. */
  turnAnnotations: Record<string, string>;
  /** Zone the address is served from, when only one. */
  turnZone?: string;
  /** The client Service's own load balancer, where the kit gives it one (contract: `loadBalancer.imClients`). */
  imClients?: { loadBalancerClass: string; annotations: Record<string, string> };
}

/**
 * Host names under the domain: the upload service (a DNS record points it at the ingress), and the TURN certificate's
 * name (an A record to the TURN address, needed only with `im.turnTls`). TURN over UDP and TCP is announced by address.
 */
export function imHosts(domain: string): { upload: string; turn: string } {
  return { upload: `upload.${domain}`, turn: `turn.${domain}` };
}

/** Where TURN listens as clients see it: UDP on 3478, TCP (and TLS with `im.turnTls`) on 443 of the TURN address. */
export function turnAnnouncement(config: PlatformConfig, relayIpv4: string): NonNullable<EjabberdSpec["turn"]> {
  return {
    host: relayIpv4,
    port: imPorts.turn,
    tcpPort: imPorts.turnStream,
    ...(config.im.turnTls ? { tls: { host: imHosts(config.domain).turn, port: imPorts.turnStream } } : {}),
    realm: config.domain,
  };
}

/** Administrator user names: the configured ones and the metrics sidecar's. */
export function adminUsers(config: PlatformConfig): string[] {
  return [...new Set([...config.im.admins, exporterAccount])];
}

/** The cluster profile of the ejabberd config for this stack. */
export function clusterEjabberdSpec(config: PlatformConfig, facts: ImPlatformFacts): EjabberdSpec {
  const hosts = imHosts(config.domain);
  return {
    profile: "cluster",
    // The config is rendered for the image's release; config/im.ts refuses an image whose tag names none.
    release: ejabberdRelease(config.im.image),
    domain: config.domain,
    certFile: ejabberdPaths.certificate,
    secretsFile: ejabberdPaths.secrets,
    sql: {
      host: facts.databaseHost,
      port: facts.databasePort,
      database: facts.databaseName,
      // ejabberd's own role (DML only), never the admin the kit hands over: the setup Job creates it.
      username: defaultImDatabaseRoles.ejabberd,
      // Through the pod's sql-tls-proxy sidecar, which verifies the host name ejabberd cannot (ejabberd#4180).
      tlsProxy: { port: imPorts.sqlTlsProxy },
    },
    admins: adminUsers(config).map((user) => `${user}@${config.domain}`),
    // ejabberd believes no X-Forwarded-For. On the plain listener it sees loopback (port-forward, the exporter); on
    // the Gateway's listener it sees the client's own address from Envoy's PROXY v2 header. So the allow-list is the
    // operator's `im.adminCidrs` itself, never the pod or VPC range, which would admit anyone the proxy forwards.
    adminCidrs: ["127.0.0.1/32", ...config.im.adminCidrs],
    gateway: { port: ejabberdGateway.port },
    clientProxyProtocol: facts.clientAddress === "proxy-v2",
    uploads: { baseUrl: `https://${hosts.upload}`, maxFileSize: config.im.maxUploadMb * 1024 * 1024 },
    // The relay's own address, not a host name: it is what eturnal announces, and no DNS record has to follow it.
    ...(config.im.turn ? { turn: turnAnnouncement(config, facts.turnRelayIpv4) } : {}),
    push: config.im.push,
    openRegistration: config.im.openRegistration,
    logLevel: config.im.logLevel,
  };
}

/** The IM chart's props for this stack. */
export function imChartProps(
  config: PlatformConfig,
  facts: ImPlatformFacts,
  rendered: {
    ejabberdConfig: string;
    configChecksum: string;
    exporterScript: string;
    sqlTlsProxyScript: string;
    uploadBundle: UploadBundle;
  },
): ImChartProps {
  return {
    domain: config.domain,
    ejabberdConfig: rendered.ejabberdConfig,
    configChecksum: rendered.configChecksum,
    labels: { owner: config.tags.owner, dataClassification: config.tags.dataClassification },
    replicas: imReplicas(config.im),
    sessionsPerInstance: config.im.sessionsPerInstance,
    images: imImagesThroughMirror(config.im.image, config.cluster.registryMirror),
    adminCidrs: config.im.adminCidrs,
    serviceAccountAnnotations: facts.serviceAccountAnnotations,
    identityPodLabels: facts.identityPodLabels,
    identityNamespaceLabels: facts.identityNamespaceLabels,
    loadBalancer: {
      tcpAnnotations: facts.tcpAnnotations,
      udpAnnotations: facts.udpAnnotations,
      clientAddress: facts.clientAddress,
      externalTrafficPolicy: facts.externalTrafficPolicy,
      ...(facts.imClients ? { clients: facts.imClients } : {}),
    },
    gateway: {
      idleTimeoutSeconds: config.im.edgeIdleTimeoutSeconds,
      // kube-prometheus-stack's Grafana sub-chart names its Service <release>-grafana and serves it on port 80.
      grafana: {
        namespace: helmCharts.kubePrometheusStack.namespace,
        service: `${helmCharts.kubePrometheusStack.release}-grafana`,
        port: 80,
      },
    },
    databaseCidrs: [config.network.cidr],
    databasePort: facts.databasePort,
    clusterIssuer: clusterIssuerNames.acme,
    uploads: {
      backend: uploadBackend(facts),
      bucket: facts.bucketName,
      endpoint: facts.bucketEndpoint,
      region: facts.bucketRegion,
      // S3 is told the stack's key on every PUT. Azure encrypts every blob with the account's customer-managed key, and
      // OSS with the bucket's default SSE-KMS rule: no public source says its S3 API takes an Alibaba KMS key id.
      ...(uploadBackend(facts) === "s3" ? { kmsKeyId: facts.keyId } : {}),
      host: imHosts(config.domain).upload,
      maxFileMiB: config.im.maxUploadMb,
      quotaMiB: config.im.uploadQuotaMb,
      bundle: rendered.uploadBundle,
    },
    ...(config.im.turn
      ? {
          turn: {
            relayIpv4: facts.turnRelayIpv4,
            loadBalancerAnnotations: facts.turnAnnotations,
            ...(facts.turnZone ? { zone: facts.turnZone } : {}),
            relayPorts: [config.im.turnRelayPorts.from, config.im.turnRelayPorts.to] as const,
            ...(config.im.turnTls ? { tlsHost: imHosts(config.domain).turn } : {}),
          },
        }
      : {}),
    push: config.im.push,
    exporter: { script: rendered.exporterScript },
    sqlTlsProxy: { script: rendered.sqlTlsProxyScript, upstreamHost: facts.databaseHost },
  };
}

/** The upload service's backend: the bucket's wire protocol, and for S3 whose credentials (OSS takes RRSA's). */
export function uploadBackend(
  facts: Pick<ImPlatformFacts, "bucketProtocol" | "identityKind">,
): UploadServiceProps["backend"] {
  if (facts.bucketProtocol === "azure-blob") return "azure-blob";
  return facts.identityKind === "rrsa" ? "oss" : "s3";
}

/** The database setup Job's props: the admin login the kit hands over, reaching only the database's network. */
export function databaseSetupProps(
  config: PlatformConfig,
  facts: ImPlatformFacts,
  revision?: string,
): DatabaseSetupProps {
  return {
    ...(revision ? { revision } : {}),
    labels: { owner: config.tags.owner, dataClassification: config.tags.dataClassification },
    database: {
      host: facts.databaseHost,
      port: facts.databasePort,
      name: facts.databaseName,
      adminUser: facts.databaseUser,
    },
    databaseCidrs: [config.network.cidr],
    // The same image as the StatefulSet, so the schema loaded is the one of the release that runs.
    ...setupImagesThroughMirror(config.im.image, config.cluster.registryMirror),
  };
}
