import { fakeId } from "../../lib/fake-id";
import type { KitMocks, MockContext, ResourceFabricator } from "../mock-types";

/**
 * Azure outputs as ARM returns them: resource ids under the stack's
 * subscription, principal and client ids as GUIDs, DNS names on the real
 * Azure domains, a kubeconfig in the shape AKS hands out (base64, exec plugin).
 */

/** A deterministic GUID for a seed. */
export function fakeGuid(seed: string): string {
  const hex = fakeId("", seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const tenantOf = (ctx: MockContext) => fakeGuid(`tenant/${ctx.subscriptionId}`);

type Inputs = Record<string, unknown>;
const str = (v: unknown, fallback: string) => (typeof v === "string" && v.length > 0 ? v : fallback);

/** The ARM id of a resource in the inputs' resource group. */
function armId(ctx: MockContext, inputs: Inputs, path: string): string {
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/${str(inputs.resourceGroupName, "rg")}/providers/${path}`;
}

/** Fabricator for a resource whose name comes from `nameKey` (or the Pulumi name) and whose id is ARM's. */
function arm(
  nameKey: string,
  path: (name: string, inputs: Inputs) => string,
  extra?: (name: string, inputs: Inputs, ctx: MockContext) => Inputs,
): ResourceFabricator {
  return (args, ctx) => {
    const name = str(args.inputs[nameKey], args.name);
    return {
      id: armId(ctx, args.inputs, path(name, args.inputs)),
      state: { name, ...(extra?.(name, args.inputs, ctx) ?? {}) },
    };
  };
}

/**
 * The AKS Entra public client application, which AKS writes as kubelogin's --client-id for device code and browser
 * login (https://learn.microsoft.com/en-us/azure/aks/kubelogin-authentication).
 */
const AKS_CLIENT_ID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";
/** The AKS AAD server application, the same in every tenant. */
const AKS_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/**
 * The kubeconfig AKS returns for format `exec`: kubelogin in devicecode mode, which waits for a person
 * (pulumi-azure-native#2399 shows it; Azure/kubelogin#193 the same shape from `az aks get-credentials`).
 */
function kubeconfig(cluster: string, server: string, tenant: string): string {
  const yaml = [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${Buffer.from(`mock CA of ${cluster}`).toString("base64")}`,
    `    server: https://${server}:443`,
    `  name: ${cluster}`,
    "contexts:",
    "- context:",
    `    cluster: ${cluster}`,
    `    user: clusterUser_${cluster}`,
    `  name: ${cluster}`,
    `current-context: ${cluster}`,
    "kind: Config",
    "preferences: {}",
    "users:",
    `- name: clusterUser_${cluster}`,
    "  user:",
    "    exec:",
    "      apiVersion: client.authentication.k8s.io/v1beta1",
    "      args:",
    "      - get-token",
    "      - --environment",
    "      - AzurePublicCloud",
    "      - --server-id",
    `      - ${AKS_SERVER_ID}`,
    "      - --client-id",
    `      - ${AKS_CLIENT_ID}`,
    "      - --tenant-id",
    `      - ${tenant}`,
    "      - --login",
    "      - devicecode",
    "      command: kubelogin",
    "      env: null",
    "      provideClusterInfo: false",
    "",
  ].join("\n");
  return Buffer.from(yaml).toString("base64");
}

/**
 * API server host names of the clusters this process has created, by resource group and name: AKS lists a cluster's
 * credentials only once the cluster exists, and the kubeconfig names the private FQDN of a private cluster, the
 * public one otherwise.
 */
const clusterServers = new Map<string, string>();
const clusterKey = (ctx: MockContext, group: unknown, name: unknown) =>
  `${ctx.subscriptionId}/${str(group, "rg")}/${str(name, "aks")}`;

const identityState = (name: string, _inputs: Inputs, ctx: MockContext) => ({
  principalId: fakeGuid(`principal/${name}`),
  clientId: fakeGuid(`client/${name}`),
  tenantId: tenantOf(ctx),
});

/**
 * Flexible Server parameters of the kit that are static, "parameter type: static", needing a restart
 * (https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-server-parameters).
 */
const staticParameters = new Set(["wal_level", "shared_preload_libraries"]);

/**
 * What AKS refuses in an agent pool, as the API does: a name outside its pattern `^[a-z][a-z0-9]{0,11}$`
 * (https://learn.microsoft.com/en-us/rest/api/aks/agent-pools/create-or-update, URI parameters), and a taint not of
 * the form `key=value:Effect` with a Kubernetes effect (@pulumi/azure-native AgentPoolArgs `nodeTaints`).
 */
function agentPoolProblems(inputs: Inputs): void {
  const name = str(inputs.agentPoolName, "");
  if (!/^[a-z][a-z0-9]{0,11}$/.test(name))
    throw new Error(`InvalidParameter: agent pool name '${name}' must match ^[a-z][a-z0-9]{0,11}$`);
  const taints = Array.isArray(inputs.nodeTaints) ? inputs.nodeTaints : [];
  for (const taint of taints)
    if (typeof taint !== "string" || !/^[^=:\s]+=[^=:\s]*:(NoSchedule|PreferNoSchedule|NoExecute)$/.test(taint))
      throw new Error(
        `InvalidParameter: node taint '${String(taint)}' must be key=value:NoSchedule|PreferNoSchedule|NoExecute`,
      );
}

export const azureMocks: KitMocks = {
  resources: {
    "azure-native:resources:ResourceGroup": (args, ctx) => {
      const name = str(args.inputs.resourceGroupName, args.name);
      return { id: `/subscriptions/${ctx.subscriptionId}/resourceGroups/${name}`, state: { name } };
    },
    "azure-native:network:VirtualNetwork": arm("virtualNetworkName", (n) => `Microsoft.Network/virtualNetworks/${n}`),
    "azure-native:network:Subnet": arm(
      "subnetName",
      (n, i) => `Microsoft.Network/virtualNetworks/${str(i.virtualNetworkName, "vnet")}/subnets/${n}`,
    ),
    "azure-native:network:NetworkSecurityGroup": arm(
      "networkSecurityGroupName",
      (n) => `Microsoft.Network/networkSecurityGroups/${n}`,
    ),
    "azure-native:network:NatGateway": arm("natGatewayName", (n) => `Microsoft.Network/natGateways/${n}`),
    "azure-native:network:PublicIPAddress": arm(
      "publicIpAddressName",
      (n) => `Microsoft.Network/publicIPAddresses/${n}`,
      (n) => {
        const h = fakeId("", n, 4);
        return {
          ipAddress: `20.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${(n.length * 7) % 250}`,
        };
      },
    ),
    "azure-native:network:PrivateEndpoint": arm(
      "privateEndpointName",
      (n) => `Microsoft.Network/privateEndpoints/${n}`,
    ),
    "azure-native:network:PrivateDnsZoneGroup": arm(
      "privateDnsZoneGroupName",
      (n, i) => `Microsoft.Network/privateEndpoints/${str(i.privateEndpointName, "pe")}/privateDnsZoneGroups/${n}`,
    ),
    "azure-native:privatedns:PrivateZone": arm("privateZoneName", (n) => `Microsoft.Network/privateDnsZones/${n}`),
    "azure-native:privatedns:VirtualNetworkLink": arm(
      "virtualNetworkLinkName",
      (n, i) => `Microsoft.Network/privateDnsZones/${str(i.privateZoneName, "zone")}/virtualNetworkLinks/${n}`,
    ),
    "azure-native:keyvault:Vault": arm(
      "vaultName",
      (n) => `Microsoft.KeyVault/vaults/${n}`,
      (n, i) => ({
        properties: { ...(i.properties as Inputs), vaultUri: `https://${n}.vault.azure.net/` },
      }),
    ),
    "azure-native:keyvault:Key": arm(
      "keyName",
      (n, i) => `Microsoft.KeyVault/vaults/${str(i.vaultName, "vault")}/keys/${n}`,
      (n, i) => {
        const uri = `https://${str(i.vaultName, "vault")}.vault.azure.net/keys/${n}`;
        return { keyUri: uri, keyUriWithVersion: `${uri}/${fakeId("", uri, 32)}` };
      },
    ),
    "azure-native:managedidentity:UserAssignedIdentity": arm(
      "resourceName",
      (n) => `Microsoft.ManagedIdentity/userAssignedIdentities/${n}`,
      identityState,
    ),
    "azure-native:managedidentity:FederatedIdentityCredential": arm(
      "federatedIdentityCredentialResourceName",
      (n, i) =>
        `Microsoft.ManagedIdentity/userAssignedIdentities/${str(i.resourceName, "identity")}/` +
        `federatedIdentityCredentials/${n}`,
    ),
    "azure-native:authorization:RoleAssignment": (args) => {
      const name = str(args.inputs.roleAssignmentName, fakeGuid(`role/${args.name}`));
      return {
        id: `${str(args.inputs.scope, "/")}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        // ARM's timestamp format; a plan's assignments count as long propagated (rbac-wait.ts waits on a real run).
        state: { name, createdOn: "2026-01-05T08:00:00.0000000Z", type: "Microsoft.Authorization/roleAssignments" },
      };
    },
    "azure-native:authorization:ManagementLockByScope": (args) => {
      const name = str(args.inputs.lockName, args.name);
      return { id: `${str(args.inputs.scope, "/")}/providers/Microsoft.Authorization/locks/${name}`, state: { name } };
    },
    "azure-native:compute:DiskEncryptionSet": arm(
      "diskEncryptionSetName",
      (n) => `Microsoft.Compute/diskEncryptionSets/${n}`,
    ),
    "azure-native:containerservice:ManagedCluster": arm(
      "resourceName",
      (n) => `Microsoft.ContainerService/managedClusters/${n}`,
      (n, i, ctx) => {
        const prefix = str(i.dnsPrefix, n);
        const suffix = fakeId("", n, 8);
        const fqdn = `${prefix}-${suffix}.hcp.${ctx.region}.azmk8s.io`;
        const privateFQDN = `${prefix}-${suffix}.${fakeGuid(`dns/${n}`)}.privatelink.${ctx.region}.azmk8s.io`;
        const access = i.apiServerAccessProfile as { enablePrivateCluster?: boolean } | undefined;
        const isPrivate = access?.enablePrivateCluster === true;
        clusterServers.set(clusterKey(ctx, i.resourceGroupName, n), isPrivate ? privateFQDN : fqdn);
        return {
          // A private cluster without a public FQDN has none.
          ...(isPrivate ? {} : { fqdn }),
          ...(isPrivate ? { privateFQDN } : {}),
          oidcIssuerProfile: {
            enabled: true,
            issuerURL: `https://${ctx.region}.oic.prod-aks.azure.com/${tenantOf(ctx)}/${fakeGuid(`oidc/${n}`)}/`,
          },
          identityProfile: {
            kubeletidentity: {
              resourceId:
                `/subscriptions/${ctx.subscriptionId}/resourceGroups/${str(i.nodeResourceGroup, "nodes")}/` +
                `providers/Microsoft.ManagedIdentity/userAssignedIdentities/${n}-agentpool`,
              ...identityState(`${n}-kubelet`, i, ctx),
            },
          },
        };
      },
    ),
    "azure-native:containerservice:AgentPool": (args, ctx) => {
      agentPoolProblems(args.inputs);
      return arm(
        "agentPoolName",
        (n, i) => `Microsoft.ContainerService/managedClusters/${str(i.resourceName, "aks")}/agentPools/${n}`,
        () => ({ provisioningState: "Succeeded" }),
      )(args, ctx);
    },
    "azure-native:operationalinsights:Workspace": arm(
      "workspaceName",
      (n) => `Microsoft.OperationalInsights/workspaces/${n}`,
      (n) => ({ customerId: fakeGuid(`workspace/${n}`) }),
    ),
    "azure-native:operationalinsights:Table": arm(
      "tableName",
      (n, i) => `Microsoft.OperationalInsights/workspaces/${str(i.workspaceName, "ws")}/tables/${n}`,
    ),
    "azure-native:monitor:DiagnosticSetting": (args) => {
      const name = str(args.inputs.name, args.name);
      return {
        id: `${str(args.inputs.resourceUri, "/")}/providers/Microsoft.Insights/diagnosticSettings/${name}`,
        state: { name },
      };
    },
    "azure-native:dbforpostgresql:Server": arm(
      "serverName",
      (n) => `Microsoft.DBforPostgreSQL/flexibleServers/${n}`,
      (n) => ({
        fullyQualifiedDomainName: `${n}.postgres.database.azure.com`,
        state: "Ready",
      }),
    ),
    "azure-native:dbforpostgresql:Configuration": arm(
      "configurationName",
      (n, i) => `Microsoft.DBforPostgreSQL/flexibleServers/${str(i.serverName, "pg")}/configurations/${n}`,
      // ARM reports a new value of a static parameter as set but pending until the server restarts.
      (n) => ({ isDynamicConfig: !staticParameters.has(n), isConfigPendingRestart: staticParameters.has(n) }),
    ),
    "azure-native:dbforpostgresql:Database": arm(
      "databaseName",
      (n, i) => `Microsoft.DBforPostgreSQL/flexibleServers/${str(i.serverName, "pg")}/databases/${n}`,
    ),
    "azure-native:storage:StorageAccount": arm(
      "accountName",
      (n) => `Microsoft.Storage/storageAccounts/${n}`,
      (n) => ({
        primaryEndpoints: {
          blob: `https://${n}.blob.core.windows.net/`,
          dfs: `https://${n}.dfs.core.windows.net/`,
          file: `https://${n}.file.core.windows.net/`,
          queue: `https://${n}.queue.core.windows.net/`,
          table: `https://${n}.table.core.windows.net/`,
          web: `https://${n}.z6.web.core.windows.net/`,
        },
      }),
    ),
    "azure-native:storage:BlobServiceProperties": arm(
      "blobServicesName",
      (n, i) => `Microsoft.Storage/storageAccounts/${str(i.accountName, "st")}/blobServices/${n}`,
    ),
    "azure-native:storage:ManagementPolicy": arm(
      "managementPolicyName",
      (n, i) => `Microsoft.Storage/storageAccounts/${str(i.accountName, "st")}/managementPolicies/${n}`,
    ),
    "azure-native:storage:BlobContainer": arm(
      "containerName",
      (n, i) => `Microsoft.Storage/storageAccounts/${str(i.accountName, "st")}/blobServices/default/containers/${n}`,
    ),
  },
  calls: {
    "azure-native:authorization:getClientConfig": (_args, ctx) => ({
      clientId: fakeGuid(`deployer-client/${ctx.subscriptionId}`),
      objectId: fakeGuid(`deployer/${ctx.subscriptionId}`),
      subscriptionId: ctx.subscriptionId,
      tenantId: tenantOf(ctx),
    }),
    "azure-native:containerservice:listManagedClusterUserCredentials": (args, ctx) => {
      const cluster = str(args.inputs.resourceName, "aks");
      const server = clusterServers.get(clusterKey(ctx, args.inputs.resourceGroupName, cluster));
      if (!server) throw new Error(`ResourceNotFound: managed cluster '${cluster}' does not exist yet`);
      return { kubeconfigs: [{ name: "clusterUser", value: kubeconfig(cluster, server, tenantOf(ctx)) }] };
    },
  },
  stackOutputs: (stack) => {
    const region = "westeurope";
    const databaseHost = `warbler-${stack}-pg.postgres.database.azure.com`;
    return { region, databaseHost, bucketRegion: region, bucketAccount: `warbler${fakeId("", stack, 8)}` };
  },
};
