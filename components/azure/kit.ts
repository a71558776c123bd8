import { getClientConfigOutput } from "@pulumi/azure-native/authorization/getClientConfig";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup";
import * as pulumi from "@pulumi/pulumi";
import type { Kit, KitArgs, PlatformOutputs } from "../contract";
import { replicationParameterMap } from "../failover/server-parameters";
import { standardTags } from "../tags";
import { AzureAuditLog, auditCategories, serviceLogs } from "./audit-log";
import { AzureBucket } from "./bucket";
import { AzureCluster } from "./cluster";
import { AzureDatabase } from "./database";
import { AzureDiskEncryption } from "./disk-encryption";
import { AzureDns01Identity, AzureIdentity, AzureWorkloadIdentity } from "./identity";
import { AzureKey } from "./key";
import { loadBalancerAnnotations } from "./load-balancer";
import {
  clusterDnsPrefix,
  clusterName,
  diskEncryptionResourceGroupName,
  keyVaultName,
  postgresServerName,
  resourceGroupName,
  storageAccountName,
  turnResourceGroupName,
  workspaceName,
} from "./naming";
import { AzureNetwork } from "./network";
import { listenerPorts } from "./nsg-rules";
import { dnsZoneId } from "./permissions";
import { afterPropagation } from "./rbac-wait";
import { azureReplication, haSlotParameters } from "./replication";
import { AzureStorageClass } from "./storage-class";
import { AzureTurnAddress } from "./turn-address";
import { planZones } from "./zones";

/*
 * The kit's files are the set every kit has (components/aws/kit.ts lists it),
 * except that node-pool.ts holds each pool's arguments, not a component: AKS
 * creates the first pool inside the cluster resource, so the pools stay
 * children of the cluster. Azure-only helpers keep their own files:
 * audit-log.ts, disk-encryption.ts, layout.ts (the address plan), nsg-rules.ts,
 * placement.ts, private-endpoint.ts. The dedicated ejabberd pool is one more
 * pool of the cluster (node-pool.ts `ejabberdPoolSpec`).
 */

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
    const group = new ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: resourceGroupName(seed), location, tags },
      { parent: this, provider },
    );
    const placement = { resourceGroupName: group.name, location, tags };

    const network = new AzureNetwork(
      `${name}-network`,
      {
        ...placement,
        cidr: config.network.cidr,
        zones: planZones(location, config.network.zones),
        listenerPorts: listenerPorts(config.im.turn ? config.im.turnRelayPorts : undefined),
        peerCidr: config.failover.role === "none" ? undefined : config.failover.peer?.cidr,
        privateAccessCidrs: config.cluster.privateAccessCidrs,
      },
      child,
    );
    const { zones, privateSubnetIds } = network.outputs;
    const key = new AzureKey(
      `${name}-key`,
      {
        ...placement,
        vaultName: (instance) => keyVaultName(seed, instance),
        tenantId: client.tenantId,
        deployerObjectId: client.objectId,
        deployerPrincipalType: config.cluster.azurePrincipalType,
        subscriptionId: client.subscriptionId,
        privateEndpointSubnetId: privateSubnetIds[0],
        virtualNetworkId: network.outputs.id,
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

    const disksGroup = new ResourceGroup(
      `${name}-disks-rg`,
      { resourceGroupName: diskEncryptionResourceGroupName(seed), location, tags },
      { parent: this, provider },
    );
    const diskEncryption = new AzureDiskEncryption(
      `${name}-disks`,
      {
        ...placement,
        resourceGroupName: disksGroup.name,
        keyUriWithVersion: key.keyUriWithVersion,
        vaultId: key.vaultId,
        // The set checks its identity's access to the key when it is created.
        identityId: afterPropagation(diskIdentity.grants, diskIdentity.id),
      },
      child,
    );
    // Before the cluster: Defender reports to the same workspace.
    const audit = new AzureAuditLog(
      `${name}-audit`,
      { ...placement, workspaceName: workspaceName(seed), retentionDays: config.cluster.auditLogRetentionDays },
      child,
    );
    const cluster = new AzureCluster(
      `${name}-cluster`,
      {
        ...placement,
        clusterName: clusterName(seed),
        dnsPrefix: clusterDnsPrefix(seed),
        version: config.cluster.version,
        nodePools: config.cluster.nodePools,
        ejabberd: config.im,
        publicAccessCidrs: config.cluster.publicAccessCidrs,
        login: config.cluster.azureLogin,
        deployerPrincipalType: config.cluster.azurePrincipalType,
        azurePolicy: config.cluster.azurePolicy,
        defender: config.cluster.azureDefender,
        encryptionAtHost: config.cluster.azureEncryptionAtHost,
        workspaceId: audit.workspaceId,
        serviceCidr: config.cluster.serviceCidr,
        podCidr: config.cluster.podCidr,
        zones,
        nodeSubnetIds: privateSubnetIds,
        apiServerSubnetId: network.apiServerSubnetId,
        identity: clusterIdentity,
        identityGrants: clusterIdentity.grants,
        keyUriWithVersion: key.keyUriWithVersion,
        vaultId: key.vaultId,
        diskEncryptionSetId: diskEncryption.id,
        diskEncryptionGroupId: disksGroup.id,
        tenantId: client.tenantId,
        subscriptionId: client.subscriptionId,
        deployerObjectId: client.objectId,
      },
      child,
    );
    audit.sendLogs("diagnostics", cluster.id, { categories: auditCategories, dedicated: true });
    audit.sendLogs("vault-logs", key.vaultId, serviceLogs.keyVault);
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
        delegatedSubnetId: network.outputs.databaseSubnetIds[0],
        virtualNetworkId: network.outputs.id,
        zones,
        keyUri: key.outputs.id,
        identity: databaseIdentity,
        identityGrants: databaseIdentity.grants,
        parameters: {
          ...replicationParameterMap(azureReplication.serverParameters, config.failover),
          ...(config.failover.role === "none"
            ? {}
            : haSlotParameters(config.database.version, config.database.highAvailability)),
        },
      },
      child,
    );
    const bucket = new AzureBucket(
      `${name}-bucket`,
      {
        ...placement,
        accountName: storageAccountName(seed),
        vaultUri: key.vaultUri,
        keyName: key.outputs.alias,
        identity: storageIdentity,
        identityGrants: storageIdentity.grants,
        noncurrentVersionDays: config.storage.noncurrentVersionDays,
        expireAfterDays: config.storage.expireAfterDays,
        privateEndpointSubnetId: privateSubnetIds[0],
        virtualNetworkId: network.outputs.id,
      },
      child,
    );
    audit.sendLogs("postgres-logs", database.id, serviceLogs.postgres);
    audit.sendLogs("blob-logs", pulumi.interpolate`${bucket.accountId}/blobServices/default`, serviceLogs.blobService);
    const workload = new AzureWorkloadIdentity(
      `${name}-workload`,
      {
        ...placement,
        issuerUrl: cluster.oidcIssuerUrl,
        subscriptionId: client.subscriptionId,
        tenantId: client.tenantId,
        containerId: bucket.containerId,
      },
      child,
    );
    // DNS-01 through Azure DNS: only cert-manager's ServiceAccount, DNS Zone Contributor on the one zone.
    const dns01 = config.acme.dns01;
    const acmeIdentity =
      dns01?.subscriptionId === undefined || dns01.resourceGroup === undefined
        ? undefined
        : new AzureDns01Identity(
            `${name}-acme-identity`,
            {
              ...placement,
              issuerUrl: cluster.oidcIssuerUrl,
              tenantId: client.tenantId,
              zoneSubscriptionId: dns01.subscriptionId,
              zoneId: dnsZoneId(dns01.subscriptionId, dns01.resourceGroup, dns01.zone),
            },
            child,
          );
    const turnAddress = new AzureTurnAddress(
      `${name}-turn-address`,
      {
        resourceGroupName: turnResourceGroupName(seed),
        location,
        zones,
        subscriptionId: client.subscriptionId,
        clusterPrincipalId: clusterIdentity.principalId,
        tags,
      },
      child,
    );
    const storageClass = new AzureStorageClass(
      `${name}-storage`,
      { diskEncryptionSetId: diskEncryption.id, provider: cluster.outputs.provider },
      { parent: this },
    );

    this.outputs = {
      cloud: "azure",
      region: location,
      network: network.outputs,
      key: key.outputs,
      cluster: {
        ...cluster.outputs,
        storageClassName: storageClass.className,
        loadBalancer: { ...loadBalancerAnnotations(tags), turnAddress: turnAddress.outputs },
        imIdentity: workload.outputs,
        acmeDns01: acmeIdentity && { identity: acmeIdentity.outputs, clientId: acmeIdentity.clientId },
      },
      database: database.outputs,
      bucket: bucket.outputs,
    };
    this.registerOutputs({
      networkId: network.outputs.id,
      keyId: key.outputs.id,
      clusterName: cluster.outputs.name,
      databaseHost: database.outputs.host,
      bucketEndpoint: bucket.outputs.endpoint,
    });
  }
}
