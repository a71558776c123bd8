import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { synthesizeImChart } from "../../charts/im/chart";
import { renderEjabberdConfig } from "../../charts/im/ejabberd-config";
import type { PlatformOutputs, TurnAddress, WorkloadIdentity } from "../../components/contract";
import { kitDescriptors } from "../../components/kits";
import { clusterEjabberdSpec, type ImPlatformFacts, imChartProps } from "../../components/kubernetes/im-props";
import { loadConfig } from "../../config/load";
import type { PlatformConfig } from "../../config/schema";
import { readStackFile } from "../../config/stack-file";

/** Platform facts shaped like each cloud's kit hands them over (sample values). */
export const sampleFacts: Record<PlatformConfig["cloud"], ImPlatformFacts> = {
  aws: {
    databaseHost: "warbler-pg.abc.eu-central-1.rds.amazonaws.com",
    databasePort: 5432,
    databaseName: "warbler",
    databaseUser: "warbler_admin",
    bucketName: "warbler-files-1",
    bucketEndpoint: "https://s3.eu-central-1.amazonaws.com",
    bucketRegion: "eu-central-1",
    bucketProtocol: "s3",
    identityKind: "irsa",
    keyId: "arn:aws:kms:eu-central-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001",
    serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/warbler-im" },
    identityPodLabels: {},
    identityNamespaceLabels: {},
    tcpAnnotations: {
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
    },
    udpAnnotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "external" },
    clientAddress: "source",
    externalTrafficPolicy: "Local",
    turnRelayIpv4: "203.0.113.10",
    turnAnnotations: {
      "service.beta.kubernetes.io/aws-load-balancer-subnets": "subnet-0a1b2c3d",
      "service.beta.kubernetes.io/aws-load-balancer-eip-allocations": "eipalloc-0a1b2c3d",
    },
    turnZone: "eu-central-1a",
  },
  azure: {
    databaseHost: "warbler-pg.postgres.database.azure.com",
    databasePort: 5432,
    databaseName: "warbler",
    databaseUser: "warbler_admin",
    bucketName: "files",
    bucketEndpoint: "https://warblerfiles.blob.core.windows.net",
    bucketRegion: "westeurope",
    bucketProtocol: "azure-blob",
    identityKind: "azure-workload-identity",
    keyId: "https://warbler-kv.vault.azure.net/keys/warbler",
    serviceAccountAnnotations: { "azure.workload.identity/client-id": "00000000-0000-0000-0000-000000000001" },
    identityPodLabels: { "azure.workload.identity/use": "true" },
    identityNamespaceLabels: {},
    tcpAnnotations: { "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz" },
    udpAnnotations: {},
    clientAddress: "source",
    externalTrafficPolicy: "Local",
    turnRelayIpv4: "203.0.113.20",
    turnAnnotations: {
      "service.beta.kubernetes.io/azure-pip-name": "turn",
      "service.beta.kubernetes.io/azure-load-balancer-resource-group": "warbler-azure-turn-rg",
    },
  },
  alicloud: {
    databaseHost: "pgm-warbler.pg.rds.aliyuncs.com",
    databasePort: 5432,
    databaseName: "warbler",
    databaseUser: "warbler_admin",
    bucketName: "warbler-files",
    bucketEndpoint: "https://s3.oss-eu-central-1-internal.aliyuncs.com",
    bucketRegion: "eu-central-1",
    bucketProtocol: "s3",
    identityKind: "rrsa",
    keyId: "0a1b2c3d-0000-4000-8000-000000000003",
    serviceAccountAnnotations: { "pod-identity.alibabacloud.com/role-name": "warbler-im" },
    identityPodLabels: {},
    identityNamespaceLabels: { "pod-identity.alibabacloud.com/injection": "on" },
    tcpAnnotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec": "slb.s1.small" },
    udpAnnotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec": "slb.s1.small" },
    clientAddress: "source",
    externalTrafficPolicy: "Local",
    turnRelayIpv4: "203.0.113.30",
    turnAnnotations: {
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": "lb-gw8abc",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners": "true",
    },
  },
};

export const exampleStacks = ["aws", "azure", "alicloud"] as const;

/** An example stack's validated config, optionally with `warbler:im` keys changed. */
export function exampleConfig(stack: string, im: Record<string, unknown> = {}): PlatformConfig {
  const raw = readStackFile(stack).config;
  const config = loadConfig(
    { ...raw, "warbler:im": { ...(raw["warbler:im"] as object | undefined), ...im } },
    { cloudRules: kitDescriptors },
  );
  if (config.kind !== "platform") throw new Error(`${stack} is not a platform stack`);
  return config;
}

/** A stand-in for the upload service's bundle: the chart only ships it. */
export const sampleUploadBundle = {
  binaryData: { "upload.js.gz": Buffer.from("/* upload service */").toString("base64") },
  sha256: "1".repeat(64),
  command: ["node", "-e", "/* loader */", "/etc/warbler/upload-bundle/upload.js.gz"],
};

/** The chart's manifests for a config, rendered exactly as the Kubernetes layer does. */
export function synthesizeFor(
  config: PlatformConfig,
  facts: ImPlatformFacts = sampleFacts[config.cloud],
): Record<string, any>[] {
  const ejabberdConfig = renderEjabberdConfig(clusterEjabberdSpec(config, facts));
  return synthesizeImChart(
    imChartProps(config, facts, {
      ejabberdConfig,
      configChecksum: "0".repeat(64),
      exporterScript: "/* exporter */",
      sqlTlsProxyScript: "/* sql-tls-proxy */",
      uploadBundle: sampleUploadBundle,
    }),
  );
}

const identityKind: Record<PlatformConfig["cloud"], WorkloadIdentity["kind"]> = {
  aws: "irsa",
  azure: "azure-workload-identity",
  alicloud: "rrsa",
};

/** What a test changes in fakePlatformOutputs. */
export interface FakePlatformOptions {
  /** @default "db-password" */
  databasePassword?: string;
  /** @default - the cloud's sample TURN address from sampleFacts */
  turnAddress?: TurnAddress;
}

/**
 * A kit's outputs as Pulumi Outputs, in the shape every kit returns, from
 * the cloud's sampleFacts: what the Kubernetes layer receives in a real stack.
 */
export function fakePlatformOutputs(
  config: PlatformConfig,
  provider: Provider,
  options: FakePlatformOptions = {},
): PlatformOutputs {
  const facts = sampleFacts[config.cloud];
  const o = pulumi.output;
  return {
    cloud: config.cloud,
    region: config.region,
    network: {
      id: o("network-1"),
      cidr: config.network.cidr,
      zones: ["1", "2", "3"],
      privateSubnetIds: [],
      databaseSubnetIds: [],
      publicSubnetIds: [],
    },
    key: { id: o(facts.keyId), alias: o("alias/warbler") },
    cluster: {
      name: o(`warbler-${config.cloud}`),
      kubeconfig: pulumi.secret("apiVersion: v1"),
      provider,
      storageClassName: "warbler-encrypted",
      loadBalancer: {
        tcpAnnotations: facts.tcpAnnotations,
        udpAnnotations: facts.udpAnnotations,
        turnAddress: options.turnAddress ?? {
          ip: o(facts.turnRelayIpv4),
          annotations: facts.turnAnnotations,
          ...(facts.turnZone ? { zone: facts.turnZone } : {}),
        },
        clientAddress: "source",
        externalTrafficPolicy: "Local",
        tcpIdleTimeoutSeconds: 1800,
      },
      imIdentity: {
        kind: identityKind[config.cloud],
        serviceAccountAnnotations: Object.fromEntries(
          Object.entries(facts.serviceAccountAnnotations).map(([k, v]) => [k, o(v)]),
        ),
        podLabels: facts.identityPodLabels,
        namespaceLabels: facts.identityNamespaceLabels,
      },
    },
    database: {
      host: o(facts.databaseHost),
      port: o(facts.databasePort),
      database: o(facts.databaseName),
      username: o(facts.databaseUser),
      password: pulumi.secret(options.databasePassword ?? "db-password"),
      sslMode: "verify-full",
      caBundle: o("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
    },
    bucket: {
      name: o(facts.bucketName),
      endpoint: o(facts.bucketEndpoint),
      region: config.region,
      protocol: facts.bucketProtocol,
      ...(facts.bucketProtocol === "azure-blob"
        ? { account: o(new URL(facts.bucketEndpoint).hostname.split(".")[0]) }
        : {}),
    },
  };
}
