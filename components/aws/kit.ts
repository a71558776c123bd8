import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Kit, KitArgs } from "../contract";
import { certManagerWorkload, imWorkload, type PlatformOutputs } from "../contract";
import { replicationParameters } from "../failover/server-parameters";
import { standardTags } from "../tags";
import { AwsBucket } from "./bucket";
import { AwsCluster } from "./cluster";
import { AwsControllers } from "./controllers";
import { AwsDatabase } from "./database";
import { AwsWorkloadIdentity } from "./identity";
import { AwsKey } from "./key";
import { loadBalancerAnnotations } from "./load-balancer";
import { accessLogBucketName, bucketName, clusterName, databaseIdentifier, keyAlias } from "./naming";
import { AwsNetwork } from "./network";
import { imNodeGroupPlan } from "./node-pool";
import { bucketAccessPolicy, route53Dns01Policy } from "./permissions";
import { awsReplication } from "./replication";
import { AwsStorageClass } from "./storage-class";
import { AwsTurnAddress } from "./turn-address";
import { planZones } from "./zones";

/*
 * Every kit has the same files, each named after what it holds: network, key,
 * cluster, node-pool, database, bucket, identity, permissions, storage-class,
 * sizes, versions, zones, naming, load-balancer, turn-address, ca-bundle,
 * vpn, dns, replication, parity, config-rules, mocks, descriptor and this one,
 * and every capability component exposes its slice of the contract as
 * `outputs`. AWS-only helpers keep their own files: controllers.ts (the
 * autoscaler and load balancer controller that AKS and ACK have built in) and
 * kubeconfig.ts (EKS hands out no kubeconfig).
 */

/**
 * The AWS kit: every capability of the contract on AWS, secure by default.
 * One explicit AWS provider for the stack's region carries every AWS
 * resource, so ambient `aws:region` config can never redirect them.
 */
export class AwsKit extends pulumi.ComponentResource implements Kit {
  readonly outputs: PlatformOutputs;
  readonly cloudProvider: AwsProvider;

  constructor(name: string, args: KitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Kit", name, {}, opts);
    const { config, stack } = args;
    if (config.cloud !== "aws") throw new Error(`AwsKit '${name}': 'cloud' (${config.cloud}) must be aws`);
    const region = config.region;
    const seed = { name: config.name, stack, region };
    const tags = { ...standardTags(config, stack) } as Record<string, string>;
    const zones = planZones(region, config.network.zones);
    const eksName = clusterName(seed);

    const provider = new AwsProvider(`${name}-provider`, { region }, { parent: this });
    this.cloudProvider = provider;
    const child = { parent: this, providers: [provider] };
    const accountId = getCallerIdentityOutput({}, { parent: this, provider }).accountId;

    const key = new AwsKey(`${name}-key`, { alias: keyAlias(seed), accountId, region, tags }, child);
    const keyArn = key.outputs.id;
    const network = new AwsNetwork(
      `${name}-network`,
      {
        cidr: config.network.cidr,
        zones,
        clusterName: eksName,
        region,
        keyArn,
        flowLogRetentionDays: config.cluster.auditLogRetentionDays,
        tags,
      },
      child,
    );
    const turnAddress = new AwsTurnAddress(
      `${name}-turn-address`,
      { publicSubnetId: network.outputs.publicSubnetIds[0], zone: zones[0], tags },
      child,
    );

    const cluster = new AwsCluster(
      `${name}-cluster`,
      {
        clusterName: eksName,
        version: config.cluster.version,
        region,
        subnetIds: network.outputs.privateSubnetIds,
        publicAccessCidrs: config.cluster.publicAccessCidrs,
        privateAccessCidrs: config.cluster.privateAccessCidrs,
        adminPrincipals: config.cluster.adminPrincipals,
        serviceCidr: config.cluster.serviceCidr,
        keyArn,
        logRetentionDays: config.cluster.auditLogRetentionDays,
        nodePools: config.cluster.nodePools,
        imNodeGroup: imNodeGroupPlan(config.im),
        tags,
      },
      child,
    );
    const controllers = new AwsControllers(
      `${name}-controllers`,
      {
        clusterName: eksName,
        version: config.cluster.version,
        region,
        vpcId: network.outputs.id,
        oidcProviderArn: cluster.oidcProviderArn,
        issuerUrl: cluster.issuerUrl,
        provider: cluster.outputs.provider,
        tags,
      },
      child,
    );
    // Everything after the kit creates Services and Pods, which the load balancer controller's webhook must answer
    // for: the provider they use exists only once the controller is Ready.
    const servicesProvider = new KubernetesProvider(
      `${name}-k8s`,
      { kubeconfig: cluster.outputs.kubeconfig },
      { parent: this, dependsOn: controllers.ready },
    );
    const storageClass = new AwsStorageClass(
      `${name}-storage-class`,
      { keyArn, provider: cluster.outputs.provider },
      { parent: this },
    );

    const database = new AwsDatabase(
      `${name}-database`,
      {
        identifier: databaseIdentifier(seed),
        version: config.database.version,
        size: config.database.size,
        storageGb: config.database.storageGb,
        highAvailability: config.database.highAvailability,
        backupRetentionDays: config.database.backupRetentionDays,
        deletionProtection: config.database.deletionProtection,
        region,
        vpcId: network.outputs.id,
        subnetIds: network.outputs.databaseSubnetIds,
        clientCidrs: network.privateCidrs,
        peerCidr: config.failover.role === "none" ? undefined : config.failover.peer?.cidr,
        keyArn,
        logRetentionDays: config.cluster.auditLogRetentionDays,
        parameters: replicationParameters(awsReplication.serverParameters, config.failover),
        tags,
      },
      child,
    );

    const bucket = new AwsBucket(
      `${name}-bucket`,
      {
        bucketName: bucketName(seed),
        accessLogBucketName: accessLogBucketName(seed),
        accountId,
        accessLogRetentionDays: config.cluster.auditLogRetentionDays,
        region,
        keyArn,
        noncurrentVersionDays: config.storage.noncurrentVersionDays,
        expireAfterDays: config.storage.expireAfterDays,
        tags,
      },
      child,
    );

    const imIdentity = new AwsWorkloadIdentity(
      `${name}-im-identity`,
      {
        oidcProviderArn: cluster.oidcProviderArn,
        issuerUrl: cluster.issuerUrl,
        namespace: imWorkload.namespace,
        serviceAccount: imWorkload.serviceAccount,
        policy: pulumi.all([bucket.arn, keyArn]).apply(([bucketArn, keyId]) => bucketAccessPolicy(bucketArn, keyId)),
        tags,
      },
      child,
    );

    // DNS-01 through Route 53: only cert-manager's ServiceAccount, only TXT challenge records of the one zone.
    const dns01 = config.acme.dns01;
    const acmeIdentity =
      dns01?.hostedZoneId === undefined
        ? undefined
        : new AwsWorkloadIdentity(
            `${name}-acme-identity`,
            {
              oidcProviderArn: cluster.oidcProviderArn,
              issuerUrl: cluster.issuerUrl,
              namespace: certManagerWorkload.namespace,
              serviceAccount: certManagerWorkload.serviceAccount,
              policy: route53Dns01Policy(dns01.hostedZoneId),
              tags,
            },
            child,
          );

    this.outputs = {
      cloud: "aws",
      region,
      network: network.outputs,
      key: key.outputs,
      cluster: {
        ...cluster.outputs,
        provider: servicesProvider,
        storageClassName: storageClass.className,
        loadBalancer: { ...loadBalancerAnnotations(), turnAddress: turnAddress.outputs },
        imIdentity: imIdentity.outputs,
        acmeDns01: acmeIdentity && { identity: acmeIdentity.outputs },
      },
      database: database.outputs,
      bucket: bucket.outputs,
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
