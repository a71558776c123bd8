import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/alicloud/provider";
import type { PlatformOutputs } from "../contract";
import type { Kit, KitArgs } from "../contract";
import { standardTags } from "../tags";
import { AlicloudBucket } from "./bucket";
import { AlicloudBucketCredentials } from "./bucket-credentials";
import { AlicloudCluster } from "./cluster";
import { AlicloudDatabase } from "./database";
import { AlicloudWorkloadIdentity } from "./identity";
import { AlicloudKey } from "./key";
import { tcpAnnotations, udpAnnotations } from "./load-balancer";
import { AlicloudLogging } from "./logging";
import { accountName, boundedName, bucketName, kmsAliasName, logProjectName, nameLimits } from "./naming";
import { AlicloudNetwork } from "./network";
import { kmsKeyArn } from "./policy-documents";
import { AlicloudStorageClass } from "./storage-class";
import { AlicloudTurnAddress } from "./turn-address";
import { assertAlicloudConfig } from "./validate";
import { ackVersions, rdsEngineVersion } from "./versions";
import { planZones } from "./zones";
import { replicationParameters } from "../failover/server-parameters";

/**
 * The Alibaba Cloud kit: every capability of the contract, secure by
 * default, in the stack's region through one explicit provider.
 */
export class AlicloudKit extends pulumi.ComponentResource implements Kit {
  readonly outputs: PlatformOutputs;
  readonly cloudProvider: Provider;

  constructor(name: string, args: KitArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): a config this kit cannot build registers nothing.
    assertAlicloudConfig(args.config);
    super("warbler:alicloud:Kit", name, {}, opts);
    const { config, stack } = args;
    // Validated above: the region has at least this many zones.
    const zones = planZones(config.region, config.network.zones) as string[];
    const tags: Record<string, string> = { ...standardTags(config, stack) };
    const base = `${config.name}-${stack}`;
    const account = (role: string, max: number) => accountName(config.name, stack, role, max);

    const provider = new Provider(`${name}-provider`, { region: config.region }, { parent: this });
    this.cloudProvider = provider;
    const child = { parent: this, provider };

    const key = new AlicloudKey(`${name}-key`, { alias: kmsAliasName(config.name, stack), tags }, child);
    const keyArn = key.outputs.id.apply((id) => kmsKeyArn(config.region, id));
    const logging = new AlicloudLogging(`${name}-logging`, { projectName: logProjectName(config.name, stack, config.region), tags }, child);
    const network = new AlicloudNetwork(
      `${name}-network`,
      { baseName: base, cidr: config.network.cidr, zones, tags, flowLogProject: logging.projectName, flowLogRetentionDays: config.cluster.auditLogRetentionDays },
      child,
    );

    const cluster = new AlicloudCluster(
      `${name}-cluster`,
      {
        clusterName: account("im", nameLimits.cluster),
        version: ackVersions[config.cluster.version],
        vswitchIds: network.outputs.privateSubnetIds,
        serviceCidr: config.cluster.serviceCidr,
        securityGroupId: network.nodeSecurityGroupId,
        keyId: key.outputs.id,
        logProject: logging.projectName,
        logRetentionDays: config.cluster.auditLogRetentionDays,
        nodePools: config.cluster.nodePools,
        tags,
      },
      child,
    );

    const database = new AlicloudDatabase(
      `${name}-database`,
      {
        instanceName: account("postgres", nameLimits.network),
        endpointPrefix: boundedName([config.name, stack, "pg"], 40, [config.name, stack, config.region, "pg"]),
        keyRoleName: account("rds-kms", nameLimits.ramRole),
        engineVersion: rdsEngineVersion(config.database.version),
        size: config.database.size,
        storageGb: config.database.storageGb,
        highAvailability: config.database.highAvailability,
        backupRetentionDays: config.database.backupRetentionDays,
        deletionProtection: config.database.deletionProtection,
        vpcId: network.outputs.id,
        vpcCidr: config.network.cidr,
        zones,
        vswitchIds: network.outputs.databaseSubnetIds,
        securityGroupId: network.databaseSecurityGroupId,
        parameters: replicationParameters("alicloud", config.failover),
        keyId: key.outputs.id,
        keyArn,
        tags,
        caBundle: config.database.caBundle,
      },
      child,
    );

    const bucket = new AlicloudBucket(
      `${name}-bucket`,
      {
        bucketName: bucketName(config.name, stack, config.region),
        region: config.region,
        keyId: key.outputs.id,
        noncurrentVersionDays: config.storage.noncurrentVersionDays,
        expireAfterDays: config.storage.expireAfterDays,
        tags,
      },
      child,
    );

    const identity = new AlicloudWorkloadIdentity(
      `${name}-identity`,
      {
        roleName: account("im-workload", nameLimits.ramRole),
        policyName: account("im-workload", nameLimits.ramPolicy),
        oidcProviderArn: cluster.oidcProviderArn,
        issuerUrl: cluster.oidcIssuerUrl,
        bucket: bucket.outputs.name,
        keyArn,
        tags,
      },
      child,
    );

    const gatewayCredentials = new AlicloudBucketCredentials(
      `${name}-gateway-credentials`,
      {
        userName: account("upload-gateway", nameLimits.ramUser),
        policyName: account("upload-gateway", nameLimits.ramPolicy),
        bucket: bucket.outputs.name,
        keyArn,
        tags,
      },
      child,
    );
    const turnAddress = new AlicloudTurnAddress(`${name}-turn-address`, { loadBalancerName: account("turn", nameLimits.loadBalancer), zones, tags }, child);

    const storageClass = new AlicloudStorageClass(`${name}-storage`, { keyId: key.outputs.id }, { parent: this, provider: cluster.provider });

    this.outputs = {
      cloud: "alicloud",
      region: config.region,
      network: network.outputs,
      key: key.outputs,
      cluster: {
        name: cluster.name,
        kubeconfig: cluster.kubeconfig,
        provider: cluster.provider,
        storageClassName: storageClass.name,
        loadBalancer: { tcpAnnotations: tcpAnnotations(zones), udpAnnotations: udpAnnotations(zones), turnAddress: turnAddress.address },
        imIdentity: identity.identity,
      },
      database: database.outputs,
      bucket: { ...bucket.outputs, staticCredentials: gatewayCredentials.credentials },
    };
    this.registerOutputs({ networkId: network.outputs.id, keyId: key.outputs.id, clusterName: cluster.name, databaseHost: database.outputs.host, bucketName: bucket.outputs.name });
  }
}
