import { Provider } from "@pulumi/alicloud/provider";
import * as pulumi from "@pulumi/pulumi";
import { imReplicas } from "../../config/im";
import type { NameRule } from "../../lib/naming";
import type { Kit, KitArgs, PlatformOutputs } from "../contract";
import { replicationParameters } from "../failover/server-parameters";
import { standardTags } from "../tags";
import { AlicloudBucket } from "./bucket";
import { AlicloudCluster } from "./cluster";
import { AlicloudDatabase } from "./database";
import { AlicloudDns01Credentials, AlicloudWorkloadIdentity } from "./identity";
import { AlicloudKey } from "./key";
import { imClientLoadBalancer, loadBalancerAnnotations } from "./load-balancer";
import { AlicloudLogging } from "./logging";
import { accountName, bucketName, databaseEndpointPrefix, kmsAliasName, logProjectName, nameRules } from "./naming";
import { AlicloudNetwork } from "./network";
import { kmsKeyArn } from "./permissions";
import { publishedRules } from "./published-ports";
import { alicloudReplication } from "./replication";
import { AlicloudServices } from "./services";
import { imNodeType } from "./sizes";
import { AlicloudStorageClass } from "./storage-class";
import { AlicloudTurnAddress } from "./turn-address";
import { assertAlicloudConfig } from "./validate";
import { clusterVersions, databaseVersions } from "./versions";
import { planZones } from "./zones";

/*
 * The kit's files are the set every kit has (components/aws/kit.ts lists it),
 * with two exceptions. node-pool.ts holds each pool's arguments, not a
 * component: the pools stay children of the cluster, where the deployed ones
 * live. ca-bundle.ts holds only where the CA chain is published: it is a zip
 * download the operator supplies through config, so there is no bundle to
 * ship. Alibaba-only helpers keep their own files: access-logs.ts (the file
 * bucket's access log), logging.ts (the stack's SLS project), services.ts (the services a fresh account opens),
 * published-ports.ts (the node security group's client ports) and validate.ts.
 * No static key pair reaches the bucket: its only identity is the RRSA role
 * in identity.ts, bound to the upload service's ServiceAccount.
 */

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
    const zones = planZones(config.region, config.network.zones);
    const tags: Record<string, string> = { ...standardTags(config, stack) };
    const seed = { name: config.name, stack, region: config.region };
    const base = `${config.name}-${stack}`;
    const account = (role: string, rule: NameRule) => accountName(seed, role, rule);

    const provider = new Provider(`${name}-provider`, { region: config.region }, { parent: this });
    this.cloudProvider = provider;
    const child = { parent: this, provider };

    const services = new AlicloudServices(`${name}-services`, child);
    const key = new AlicloudKey(
      `${name}-key`,
      {
        alias: kmsAliasName(seed),
        tags,
        owner: base,
        dkmsInstanceId: config.cluster.alicloudDkmsInstanceId,
        kmsOpen: services.after("kms", true),
      },
      child,
    );
    const keyArn = key.outputs.id.apply((id) => kmsKeyArn(config.region, id));
    const logging = new AlicloudLogging(
      `${name}-logging`,
      { projectName: services.after("log", logProjectName(seed)), tags },
      child,
    );
    const network = new AlicloudNetwork(
      `${name}-network`,
      {
        baseName: base,
        cidr: config.network.cidr,
        zones,
        tags,
        flowLogProject: services.after("vpcFlowLog", logging.projectName),
        flowLogRetentionDays: config.cluster.auditLogRetentionDays,
        publishedRules: publishedRules(
          config.im.turn ? [config.im.turnRelayPorts.from, config.im.turnRelayPorts.to] : undefined,
        ),
      },
      child,
    );

    // Validated above: the r7 family holds sessionsPerInstance, and one NLB the platform's sessions.
    const replicas = imReplicas(config.im);
    const ejabberdNode = imNodeType(config.im.sessionsPerInstance, replicas)!;
    const imClients = imClientLoadBalancer(zones, network.outputs.publicSubnetIds);

    const cluster = new AlicloudCluster(
      `${name}-cluster`,
      {
        clusterName: services.after("ack", account("im", nameRules.cluster)),
        mlpsHardening: config.cluster.alicloudMlpsHardening,
        version: clusterVersions[config.cluster.version],
        vswitchIds: network.outputs.privateSubnetIds,
        serviceCidr: config.cluster.serviceCidr,
        securityGroupId: network.nodeSecurityGroupId,
        keyId: key.outputs.id,
        logProject: logging.projectName,
        logRetentionDays: config.cluster.auditLogRetentionDays,
        nodePools: config.cluster.nodePools,
        ejabberdPool: { replicas, instanceType: ejabberdNode.type },
        tags,
      },
      child,
    );

    const database = new AlicloudDatabase(
      `${name}-database`,
      {
        instanceName: account("postgres", nameRules.network),
        endpointPrefix: databaseEndpointPrefix(seed),
        keyRoleName: account("rds-kms", nameRules.ramRole),
        engineVersion: databaseVersions[config.database.version],
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
        parameters: replicationParameters(alicloudReplication.serverParameters, config.failover),
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
        bucketName: bucketName(seed),
        region: config.region,
        keyId: services.after("oss", key.outputs.id),
        noncurrentVersionDays: config.storage.noncurrentVersionDays,
        expireAfterDays: config.storage.expireAfterDays,
        tags,
      },
      child,
    );

    const identity = new AlicloudWorkloadIdentity(
      `${name}-identity`,
      {
        roleName: account("im-workload", nameRules.ramRole),
        policyName: account("im-workload", nameRules.ramPolicy),
        oidcProviderArn: cluster.oidcProviderArn,
        issuerUrl: cluster.oidcIssuerUrl,
        bucket: bucket.outputs.name,
        keyArn,
        tags,
      },
      child,
    );

    // DNS-01 through Alibaba Cloud DNS: its webhook takes only a key pair, so a RAM user scoped to the one zone.
    const dns01 = config.acme.dns01;
    const acmeCredentials =
      dns01 === undefined
        ? undefined
        : new AlicloudDns01Credentials(
            `${name}-acme-credentials`,
            {
              userName: account("acme-dns01", nameRules.ramUser),
              policyName: account("acme-dns01", nameRules.ramPolicy),
              zone: dns01.zone,
              tags,
            },
            child,
          );
    const turnAddress = new AlicloudTurnAddress(
      `${name}-turn-address`,
      { loadBalancerName: account("turn", nameRules.loadBalancer), zones, tags },
      child,
    );

    const storageClass = new AlicloudStorageClass(
      `${name}-storage`,
      { keyId: key.outputs.id, provider: cluster.outputs.provider },
      { parent: this },
    );

    this.outputs = {
      cloud: "alicloud",
      region: config.region,
      network: network.outputs,
      key: key.outputs,
      cluster: {
        ...cluster.outputs,
        storageClassName: storageClass.className,
        loadBalancer: {
          ...loadBalancerAnnotations(zones),
          imClients,
          turnAddress: turnAddress.outputs,
        },
        imIdentity: identity.outputs,
        acmeDns01: acmeCredentials && { keyPair: acmeCredentials.keyPair },
      },
      database: database.outputs,
      bucket: bucket.outputs,
    };
    this.registerOutputs({
      networkId: network.outputs.id,
      keyId: key.outputs.id,
      clusterName: cluster.outputs.name,
      databaseHost: database.outputs.host,
      bucketName: bucket.outputs.name,
    });
  }
}
