import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { imWorkload, type PlatformOutputs } from "../contract";
import type { Kit, KitArgs } from "../contract";
import { standardTags } from "../tags";
import { AwsBucket } from "./bucket";
import { AwsCluster } from "./cluster";
import { AwsControllers } from "./controllers";
import { AwsDatabase } from "./database";
import { IrsaRole } from "./irsa-role";
import { AwsKey } from "./key";
import { bucketName, clusterName, databaseIdentifier, keyAlias } from "./naming";
import { AwsNetwork } from "./network";
import { bucketAccessPolicy } from "./policies";
import { AwsStorageClass } from "./storage-class";
import { AwsTurnAddress } from "./turn-address";
import { availabilityZones } from "./zones";
import { replicationParameters } from "../failover/server-parameters";

/**
 * Service annotations for the AWS Load Balancer Controller: an internet-facing
 * NLB that sends traffic straight to pod IPs (no second hop through a
 * NodePort, and clients' source addresses reach ejabberd).
 */
export const nlbAnnotations: Record<string, string> = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "external",
  "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
};

/**
 * The AWS kit: every capability of the contract on AWS, secure by default.
 * One explicit AWS provider for the stack's region carries every AWS
 * resource, so ambient `aws:region` config can never redirect them.
 */
export class AwsKit extends pulumi.ComponentResource implements Kit {
  readonly outputs: PlatformOutputs;
  readonly cloudProvider: AwsProvider;
  readonly network: AwsNetwork;
  readonly key: AwsKey;
  readonly cluster: AwsCluster;
  /** The database; the failover engine reads its parameter group and instance. */
  readonly database: AwsDatabase;
  readonly bucket: AwsBucket;

  constructor(name: string, args: KitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Kit", name, {}, opts);
    const { config, stack } = args;
    if (config.cloud !== "aws") throw new Error(`AwsKit '${name}': 'cloud' (${config.cloud}) must be aws`);
    const region = config.region;
    const tags = { ...standardTags(config, stack) } as Record<string, string>;
    const zones = availabilityZones(region, config.network.zones);
    const cluster = clusterName(config.name, stack);

    const provider = new AwsProvider(`${name}-provider`, { region }, { parent: this });
    this.cloudProvider = provider;
    const child = { parent: this, providers: [provider] };
    const accountId = getCallerIdentityOutput({}, { parent: this, provider }).accountId;

    this.key = new AwsKey(`${name}-key`, { alias: keyAlias(config.name, stack), accountId, region, tags }, child);
    const keyArn = this.key.arn;
    this.network = new AwsNetwork(
      `${name}-network`,
      { cidr: config.network.cidr, zones, clusterName: cluster, keyArn, flowLogRetentionDays: config.cluster.auditLogRetentionDays, tags },
      child,
    );
    const subnetIds = (subnets: { id: pulumi.Output<string> }[]) => subnets.map((s) => s.id);
    const turnAddress = new AwsTurnAddress(`${name}-turn-address`, { publicSubnetId: this.network.publicSubnets[0].id, zone: zones[0], tags }, child);

    this.cluster = new AwsCluster(
      `${name}-cluster`,
      {
        clusterName: cluster,
        version: config.cluster.version,
        region,
        subnetIds: subnetIds(this.network.privateSubnets),
        publicAccessCidrs: config.cluster.publicAccessCidrs,
        serviceCidr: config.cluster.serviceCidr,
        keyArn,
        logRetentionDays: config.cluster.auditLogRetentionDays,
        nodePools: config.cluster.nodePools,
        tags,
      },
      child,
    );
    new AwsControllers(
      `${name}-controllers`,
      {
        clusterName: cluster,
        version: config.cluster.version,
        region,
        vpcId: this.network.vpc.id,
        oidcProviderArn: this.cluster.oidcProviderArn,
        issuerUrl: this.cluster.issuerUrl,
        provider: this.cluster.provider,
        tags,
      },
      child,
    );
    const storageClass = new AwsStorageClass(`${name}-storage-class`, { keyArn, provider: this.cluster.provider }, { parent: this });

    this.database = new AwsDatabase(
      `${name}-database`,
      {
        identifier: databaseIdentifier(config.name, stack),
        version: config.database.version,
        size: config.database.size,
        storageGb: config.database.storageGb,
        highAvailability: config.database.highAvailability,
        backupRetentionDays: config.database.backupRetentionDays,
        deletionProtection: config.database.deletionProtection,
        region,
        vpcId: this.network.vpc.id,
        subnetIds: subnetIds(this.network.databaseSubnets),
        clientCidrs: this.network.privateCidrs,
        keyArn,
        logRetentionDays: config.cluster.auditLogRetentionDays,
        parameters: replicationParameters("aws", config.failover),
        tags,
      },
      child,
    );

    this.bucket = new AwsBucket(
      `${name}-bucket`,
      {
        bucketName: bucketName(config.name, stack, region),
        keyArn,
        noncurrentVersionDays: config.storage.noncurrentVersionDays,
        expireAfterDays: config.storage.expireAfterDays,
        tags,
      },
      child,
    );

    const imRole = new IrsaRole(
      `${name}-im-identity`,
      {
        oidcProviderArn: this.cluster.oidcProviderArn,
        issuerUrl: this.cluster.issuerUrl,
        namespace: imWorkload.namespace,
        serviceAccount: imWorkload.serviceAccount,
        policy: pulumi.all([this.bucket.arn, keyArn]).apply(([bucketArn, key]) => bucketAccessPolicy(bucketArn, key)),
        tags,
      },
      child,
    );

    this.outputs = {
      cloud: "aws",
      region,
      network: {
        id: this.network.vpc.id,
        cidr: config.network.cidr,
        zones,
        privateSubnetIds: subnetIds(this.network.privateSubnets),
        databaseSubnetIds: subnetIds(this.network.databaseSubnets),
        publicSubnetIds: subnetIds(this.network.publicSubnets),
      },
      key: { id: keyArn, alias: this.key.alias },
      cluster: {
        name: this.cluster.name,
        kubeconfig: this.cluster.kubeconfig,
        provider: this.cluster.provider,
        storageClassName: storageClass.className,
        loadBalancer: { tcpAnnotations: nlbAnnotations, udpAnnotations: nlbAnnotations, turnAddress: turnAddress.address },
        imIdentity: {
          kind: "irsa",
          serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": imRole.arn },
          podLabels: {},
          namespaceLabels: {},
        },
      },
      database: {
        host: this.database.instance.address,
        port: this.database.instance.port,
        database: pulumi.output(this.database.databaseName),
        username: pulumi.output(this.database.username),
        password: this.database.password,
        sslMode: "verify-full",
        caBundle: pulumi.output(this.database.caBundle),
      },
      bucket: {
        name: this.bucket.name,
        endpoint: pulumi.output(`https://s3.${region}.amazonaws.com`),
        region,
        protocol: "s3",
      },
    };
    this.registerOutputs({
      networkId: this.outputs.network.id,
      keyId: this.outputs.key.id,
      clusterName: this.outputs.cluster.name,
      databaseHost: this.outputs.database.host,
      bucketName: this.outputs.bucket.name,
    });
  }
}
