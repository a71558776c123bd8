import { ejabberdPaths, exporterAccount } from "../../charts/im/ejabberd";
import type { EjabberdSpec } from "../../charts/im/ejabberd-config";
import type { ImChartProps } from "../../charts/im/props";
import type { PlatformConfig } from "../../config/schema";
import type { BucketOutputs } from "../contract";
import { clusterIssuerNames } from "./cert-manager";

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
  serviceAccountAnnotations: Record<string, string>;
  identityPodLabels: Record<string, string>;
  identityNamespaceLabels: Record<string, string>;
  tcpAnnotations: Record<string, string>;
  udpAnnotations: Record<string, string>;
  /** The kit's static public IPv4 for TURN: eturnal announces it, and ejabberd hands it to clients. */
  turnRelayIpv4: string;
  /** Bind the TURN Service's load balancer to that address. */
  turnAnnotations: Record<string, string>;
  /** Zone the address is served from, when only one. */
  turnZone?: string;
  /** Hash of the bucket's static key pair, when the kit hands one over (the gateway then uses it). */
  bucketCredentialsChecksum?: string;
}

/**
 * Host names under the domain: the upload gateway (a DNS record points it at the ingress). TURN is announced by
 * address, so it needs none.
 */
export function imHosts(domain: string): { upload: string } {
  return { upload: `upload.${domain}` };
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
    domain: config.domain,
    certFile: ejabberdPaths.certificate,
    secretsFile: ejabberdPaths.secrets,
    sql: {
      host: facts.databaseHost,
      port: facts.databasePort,
      database: facts.databaseName,
      username: facts.databaseUser,
      caFile: ejabberdPaths.databaseCa,
    },
    admins: adminUsers(config).map((user) => `${user}@${config.domain}`),
    // kubectl port-forward arrives from the pod's loopback: with no allow-listed CIDR, that is the only way in.
    adminCidrs: [...config.im.adminCidrs, "127.0.0.1/32"],
    // The ingress controller's pods (overlay pod range, or VPC addresses with the AWS CNI) set X-Forwarded-For.
    trustedProxies: [config.cluster.podCidr, config.network.cidr],
    uploads: {
      kind: "s3",
      bucketUrl: `https://${hosts.upload}/${facts.bucketName}`,
      region: facts.bucketRegion,
      maxFileSize: config.im.maxUploadMb * 1024 * 1024,
    },
    // The relay's own address, not a host name: it is what eturnal announces, and no DNS record has to follow it.
    ...(config.im.turn
      ? { turn: { host: facts.turnRelayIpv4, port: 3478, transport: "udp" as const, realm: config.domain } }
      : {}),
    openRegistration: config.im.openRegistration,
    logLevel: config.im.logLevel,
  };
}

/** The IM chart's props for this stack. */
export function imChartProps(
  config: PlatformConfig,
  facts: ImPlatformFacts,
  rendered: { ejabberdConfig: string; configChecksum: string; exporterScript: string },
): ImChartProps {
  return {
    domain: config.domain,
    ejabberdConfig: rendered.ejabberdConfig,
    configChecksum: rendered.configChecksum,
    labels: { owner: config.tags.owner, dataClassification: config.tags.dataClassification },
    replicas: config.im.replicas,
    images: { ejabberd: config.im.image },
    adminCidrs: config.im.adminCidrs,
    serviceAccountAnnotations: facts.serviceAccountAnnotations,
    identityPodLabels: facts.identityPodLabels,
    identityNamespaceLabels: facts.identityNamespaceLabels,
    loadBalancer: { tcpAnnotations: facts.tcpAnnotations, udpAnnotations: facts.udpAnnotations },
    databaseCidrs: [config.network.cidr],
    databasePort: facts.databasePort,
    clusterIssuer: clusterIssuerNames.acme,
    uploads: {
      backend: facts.bucketProtocol === "azure-blob" ? "azureblob-sdk" : "aws-s3",
      endpoint: facts.bucketEndpoint,
      region: facts.bucketRegion,
      host: imHosts(config.domain).upload,
      maxBodyMiB: config.im.maxUploadMb,
      ...(facts.bucketCredentialsChecksum ? { staticCredentialsChecksum: facts.bucketCredentialsChecksum } : {}),
    },
    ...(config.im.turn
      ? {
          turn: {
            relayIpv4: facts.turnRelayIpv4,
            loadBalancerAnnotations: facts.turnAnnotations,
            ...(facts.turnZone ? { zone: facts.turnZone } : {}),
          },
        }
      : {}),
    exporter: { script: rendered.exporterScript },
  };
}
