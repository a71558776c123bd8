import * as pulumi from "@pulumi/pulumi";
import { getClientConfigOutput } from "@pulumi/azure-native/authorization/getClientConfig";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup";
import type { PlatformOutputs } from "../contract";
import type { Kit, KitArgs } from "../contract";
import { standardTags } from "../tags";
import { AzureAuditLog } from "./audit-log";
import { AzureBucket } from "./bucket";
import { AzureCluster } from "./cluster";
import { AzureDatabase } from "./database";
import { AzureDiskEncryption } from "./disk-encryption";
import { AzureIdentity } from "./identity";
import { AzureKey } from "./key";
import { clusterDnsPrefix, clusterName, keyVaultName, postgresServerName, resourceGroupName, storageAccountName, turnResourceGroupName, workspaceName } from "./naming";
import { AzureNetwork } from "./network";
import { AzureStorageClass } from "./storage-class";
import { AzureTurnAddress } from "./turn-address";
import { AzureWorkloadIdentity } from "./workload-identity";
import { replicationParameterMap } from "../failover/server-parameters";

/** Idle timeout of the load balancer, in minutes: XMPP sessions sit idle far longer than Azure's 4-minute default. */
const LB_IDLE_MINUTES = "30";

/**
 * The Azure kit: every capability of the contract on Azure, secure by
 * default, in one resource group, through an explicit provider for the
 * stack's region. Identities are user-assigned and hold only the role they
 * need on the narrowest scope (the key, a subnet, the container).
 */
export class AzureKit extends pulumi.ComponentResource implements Kit {
  readonly outputs: PlatformOutputs;
  readonly cloudProvider: AzureProvider;

  constructor(name: string, args: KitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Kit", name, {}, opts);
    const { config, stack } = args;
    if (config.cloud !== "azure") throw new Error(`AzureKit '${name}': 'cloud' (${config.cloud}) must be azure`);
    const seed = { name: config.name, stack, region: config.region };
    const tags: Record<string, string> = { ...standardTags(config, stack) };
    const location = config.region;

    const provider = new AzureProvider(`${name}-provider`, { location }, { parent: this });
    this.cloudProvider = provider;
    const child = { parent: this, providers: [provider] };
    const client = getClientConfigOutput({ parent: this, provider });
    const group = new ResourceGroup(`${name}-rg`, { resourceGroupName: resourceGroupName(seed), location, tags }, { parent: this, provider });
    const placement = { resourceGroupName: group.name, location, tags };

    const network = new AzureNetwork(`${name}-network`, { ...placement, cidr: config.network.cidr, zones: config.network.zones }, child);
    const key = new AzureKey(
      `${name}-key`,
      {
        ...placement,
        vaultName: keyVaultName(seed),
        tenantId: client.tenantId,
        privateEndpointSubnetId: network.privateSubnetIds[0],
        virtualNetworkId: network.id,
      },
      child,
    );
    const identity = (role: string, grants: ConstructorParameters<typeof AzureIdentity>[1]["grants"]) =>
      new AzureIdentity(`${name}-${role}`, { ...placement, subscriptionId: client.subscriptionId, grants }, child);
    const wrapOnly = [{ name: "key", role: "keyVaultCryptoServiceEncryptionUser" as const, scope: key.keyResourceId }];
    const clusterIdentity = identity("cluster", [
      { name: "key", role: "keyVaultCryptoUser", scope: key.keyResourceId },
      { name: "vault", role: "keyVaultContributor", scope: key.vaultId },
    ]);
    const diskIdentity = identity("disk", wrapOnly);
    const databaseIdentity = identity("database", wrapOnly);
    const storageIdentity = identity("storage", wrapOnly);

    const diskEncryption = new AzureDiskEncryption(
      `${name}-disks`,
      { ...placement, keyUriWithVersion: key.keyUriWithVersion, vaultId: key.vaultId, identityId: diskIdentity.id },
      { ...child, dependsOn: diskIdentity.grants },
    );
    const cluster = new AzureCluster(
      `${name}-cluster`,
      {
        ...placement,
        clusterName: clusterName(seed),
        dnsPrefix: clusterDnsPrefix(seed),
        version: config.cluster.version,
        nodePools: config.cluster.nodePools,
        publicAccessCidrs: config.cluster.publicAccessCidrs,
        serviceCidr: config.cluster.serviceCidr,
        podCidr: config.cluster.podCidr,
        zones: network.zones,
        nodeSubnetIds: network.privateSubnetIds,
        apiServerSubnetId: network.apiServerSubnetId,
        identity: clusterIdentity,
        identityGrants: clusterIdentity.grants,
        keyUriWithVersion: key.keyUriWithVersion,
        vaultId: key.vaultId,
        diskEncryptionSetId: diskEncryption.id,
        tenantId: client.tenantId,
        subscriptionId: client.subscriptionId,
        deployerObjectId: client.objectId,
      },
      child,
    );
    new AzureAuditLog(
      `${name}-audit`,
      { ...placement, clusterId: cluster.id, workspaceName: workspaceName(seed), retentionDays: config.cluster.auditLogRetentionDays },
      child,
    );
    const database = new AzureDatabase(
      `${name}-database`,
      {
        ...placement,
        serverName: postgresServerName(seed),
        version: config.database.version,
        size: config.database.size,
        storageGb: config.database.storageGb,
        highAvailability: config.database.highAvailability,
        backupRetentionDays: config.database.backupRetentionDays,
        deletionProtection: config.database.deletionProtection,
        delegatedSubnetId: network.databaseSubnetIds[0],
        virtualNetworkId: network.id,
        zones: network.zones,
        keyUri: key.keyUri,
        identity: databaseIdentity,
        identityGrants: databaseIdentity.grants,
        parameters: replicationParameterMap("azure", config.failover),
      },
      child,
    );
    const bucket = new AzureBucket(
      `${name}-bucket`,
      {
        ...placement,
        accountName: storageAccountName(seed),
        vaultUri: key.vaultUri,
        keyName: key.keyName,
        identity: storageIdentity,
        identityGrants: storageIdentity.grants,
        noncurrentVersionDays: config.storage.noncurrentVersionDays,
        expireAfterDays: config.storage.expireAfterDays,
        privateEndpointSubnetId: network.privateSubnetIds[0],
        virtualNetworkId: network.id,
      },
      child,
    );
    const workload = new AzureWorkloadIdentity(
      `${name}-workload`,
      {
        ...placement,
        issuerUrl: cluster.oidcIssuerUrl,
        subscriptionId: client.subscriptionId,
        tenantId: client.tenantId,
        containerId: bucket.containerId,
        keyResourceId: key.keyResourceId,
      },
      child,
    );
    const turnAddress = new AzureTurnAddress(
      `${name}-turn-address`,
      {
        resourceGroupName: turnResourceGroupName(seed),
        location,
        zones: network.zones,
        subscriptionId: client.subscriptionId,
        clusterPrincipalId: clusterIdentity.principalId,
        tags,
      },
      child,
    );
    const storageClass = new AzureStorageClass(`${name}-storage`, { diskEncryptionSetId: diskEncryption.id, provider: cluster.provider }, { parent: this });

    // Public IPs that AKS creates for LoadBalancer Services carry the stack's tags too.
    const pipTags = Object.entries(tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    this.outputs = {
      cloud: "azure",
      region: location,
      network: {
        id: network.id,
        cidr: config.network.cidr,
        zones: network.zones,
        privateSubnetIds: network.privateSubnetIds,
        databaseSubnetIds: network.databaseSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
      },
      key: { id: key.keyUri, alias: key.keyName },
      cluster: {
        name: cluster.name,
        kubeconfig: cluster.kubeconfig,
        provider: cluster.provider,
        storageClassName: storageClass.name,
        loadBalancer: {
          tcpAnnotations: {
            "service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout": LB_IDLE_MINUTES,
            "service.beta.kubernetes.io/azure-pip-tags": pipTags,
          },
          udpAnnotations: { "service.beta.kubernetes.io/azure-pip-tags": pipTags },
          turnAddress: turnAddress.address,
        },
        imIdentity: workload.identity,
      },
      database: {
        host: database.host,
        port: database.port,
        database: database.database,
        username: database.username,
        password: database.password,
        sslMode: "verify-full",
        caBundle: database.caBundle,
      },
      bucket: {
        name: bucket.containerName,
        endpoint: bucket.endpoint,
        region: location,
        protocol: "azure-blob",
        account: bucket.accountName,
      },
    };
    this.registerOutputs({
      networkId: network.id,
      keyId: key.keyUri,
      clusterName: cluster.name,
      databaseHost: database.host,
      bucketEndpoint: bucket.endpoint,
    });
  }
}
