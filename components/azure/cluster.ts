import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { listManagedClusterUserCredentialsOutput } from "@pulumi/azure-native/containerservice";
import { AgentPool } from "@pulumi/azure-native/containerservice/agentPool";
import { ManagedCluster } from "@pulumi/azure-native/containerservice/managedCluster";
import type * as inputs from "@pulumi/azure-native/types/input";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { kubernetesVersions } from "../../config/clouds";
import { ArgumentChecks } from "../../lib/check";
import { formatCidr, parseCidr } from "../../lib/cidr";
import { imNodePool } from "../../lib/im-sizing";
import type { ClusterAccess, NodePoolConfig } from "../contract";
import { type AzureLogin, convertKubeconfig } from "./kubeconfig";
import { ejabberdPoolSpec, zonalPoolArgs, zonalPoolBase, zonalShares } from "./node-pool";
import { type BuiltInRole, roleDefinitionId } from "./permissions";
import type { AzurePlacement } from "./placement";
import { afterPropagation } from "./rbac-wait";
import { clusterVersions } from "./versions";

export interface AzureClusterArgs extends AzurePlacement {
  /** AKS cluster name. @default - none, required */
  clusterName: string;
  /** DNS prefix of the API server's host name. @default - none, required */
  dnsPrefix: string;
  /** Kubernetes minor, pinned from config (versions.ts); AKS applies patches. @default - none, required */
  version: (typeof kubernetesVersions)[number];
  /** Node pools; the first runs the system pods too. @default - none, required */
  nodePools: NodePoolConfig[];
  /**
   * The IM service the dedicated ejabberd pool is sized for (config `warbler:im`; node-pool.ts `ejabberdPoolSpec`).
   * @default - no ejabberd pool
   */
  ejabberd?: { sessionsPerInstance: number; replicas?: number; sessions?: number };
  /** CIDRs allowed to a public API endpoint; empty keeps the cluster private. @default [] */
  publicAccessCidrs?: string[];
  /** How the kubeconfig's kubelogin signs in (config cluster.azureLogin). @default "azurecli" */
  login?: AzureLogin;
  /** Kind of the deployer principal (config cluster.azurePrincipalType). @default "User" */
  deployerPrincipalType?: "User" | "ServicePrincipal" | "Group";
  /** The Azure Policy add-on (config cluster.azurePolicy). @default true */
  azurePolicy?: boolean;
  /** Defender for Containers' sensor, reporting to `workspaceId` (config cluster.azureDefender). @default false */
  defender?: boolean;
  /** Encryption at host on every pool (config cluster.azureEncryptionAtHost). @default false */
  encryptionAtHost?: boolean;
  /** Log Analytics workspace Defender reports to. @default - none, required */
  workspaceId: pulumi.Input<string>;
  /** Service range (config cluster.serviceCidr). @default - none, required */
  serviceCidr: string;
  /** Overlay pod range (config cluster.podCidr). @default - none, required */
  podCidr: string;
  /** Azure zones the pools spread over. @default - none, required */
  zones: string[];
  /** Node subnets, one per zone, each behind its zone's NAT gateway. @default - none, required */
  nodeSubnetIds: pulumi.Input<string>[];
  /** Subnet delegated for API Server VNet Integration. @default - none, required */
  apiServerSubnetId: pulumi.Input<string>;
  /**
   * Control-plane identity: Key Vault Crypto User on the key, Key Vault Contributor on the vault.
   * @default - none, required
   */
  identity: { id: pulumi.Input<string>; principalId: pulumi.Input<string> };
  /** Resources the control-plane identity's grants depend on; the cluster waits for them. @default - none, required */
  identityGrants: RoleAssignment[];
  /** Versioned key URI for KMS etcd encryption. @default - none, required */
  keyUriWithVersion: pulumi.Input<string>;
  /** Resource id of the (private) vault holding the key. @default - none, required */
  vaultId: pulumi.Input<string>;
  /** Disk encryption set for node OS and data disks. @default - none, required */
  diskEncryptionSetId: pulumi.Input<string>;
  /** The resource group holding only the set; the cluster identity gets Contributor on it. @default - none, required */
  diskEncryptionGroupId: pulumi.Input<string>;
  /** Entra tenant for Azure RBAC. @default - none, required */
  tenantId: pulumi.Input<string>;
  /** Subscription of the role definitions. @default - none, required */
  subscriptionId: pulumi.Input<string>;
  /**
   * Object id of the principal running Pulumi; gets cluster admin through Azure RBAC to apply the Kubernetes layer.
   * @default - none, required
   */
  deployerObjectId: pulumi.Input<string>;
}

/** Input problems, recorded in `check` (a new one if none is given) and returned. */
export function clusterArgsProblems(
  args: Pick<AzureClusterArgs, "nodePools" | "zones" | "nodeSubnetIds" | "serviceCidr" | "ejabberd">,
  check = new ArgumentChecks(),
): readonly string[] {
  const seen = new Map<string, string>();
  // The ejabberd pool's shares are named like a config pool's, so none may take its name.
  if (args.ejabberd) seen.set(imNodePool.name, `the dedicated ${imNodePool.name} pool`);
  args.nodePools.forEach((pool, i) => {
    // Each zone's share is named <first 11 characters><zone digit> (node-pool.ts zonalPoolName).
    const azureName = zonalPoolBase(pool.name);
    const other = seen.get(azureName);
    check.require(
      other === undefined,
      `nodePools[${i}].name`,
      pool.name,
      `becomes AKS pool name '${azureName}', as '${other}' does; pool names must differ in letters or digits`,
    );
    seen.set(azureName, pool.name);
    check.require(pool.min <= pool.max, `nodePools[${i}].min`, pool.min, `must not exceed 'max' (${pool.max})`);
  });
  check.require(args.nodePools.length > 0, "nodePools", args.nodePools, "must hold at least one pool");
  check.require(
    args.nodeSubnetIds.length === args.zones.length,
    "nodeSubnetIds.length",
    args.nodeSubnetIds.length,
    `must hold one subnet per zone (${args.zones.length})`,
  );
  check.require(parseCidr(args.serviceCidr) !== undefined, "serviceCidr", args.serviceCidr, "must be an IPv4 CIDR");
  return check.problems;
}

/** CoreDNS's address: the tenth of the Service range, as AKS's own default. */
export function dnsServiceIp(serviceCidr: string): string {
  const parsed = parseCidr(serviceCidr);
  if (!parsed) throw new RangeError(`'serviceCidr' (${serviceCidr}) must be an IPv4 CIDR`);
  return formatCidr({ base: parsed.base + 10, prefix: 32 }).replace("/32", "");
}

/**
 * The API server's access profile. With authorized IP ranges the endpoint is public and admits only those ranges;
 * without, the cluster is private. AKS refuses authorized IP ranges on a private cluster ("You can't use this feature
 * with private clusters", https://learn.microsoft.com/en-us/azure/aks/api-server-authorized-ip-ranges), so the two
 * never mix. In private mode an in-network deployer (cluster.privateAccessCidrs) reaches the VNet-integrated endpoint,
 * whose subnet's NSG names its range (nsg-rules.ts); in public mode the kubeconfig's FQDN resolves to the public IP,
 * so the deployer's egress must be in cluster.publicAccessCidrs wherever it runs.
 */
export function apiServerAccess(
  publicCidrs: readonly string[],
  subnetId: pulumi.Input<string>,
): inputs.containerservice.ManagedClusterAPIServerAccessProfileArgs {
  return {
    enableVnetIntegration: true,
    subnetId,
    ...(publicCidrs.length === 0
      ? { enablePrivateCluster: true, privateDNSZone: "system", enablePrivateClusterPublicFQDN: false }
      : { enablePrivateCluster: false, authorizedIPRanges: [...publicCidrs] }),
  };
}

/**
 * AKS, encrypted by default: an API endpoint projected into the VNet (API Server VNet Integration, which KMS with a
 * private vault requires), public only to the deployer's ranges or else private, Secrets encrypted in etcd by Key
 * Vault KMS with the stack's key, node OS disks encrypted by the disk encryption set, Entra ID authentication with
 * Azure RBAC and no local accounts, OIDC issuer and workload identity, Azure CNI overlay with Cilium network policy,
 * egress through each zone's NAT gateway, zonal autoscaling node pools, and the Azure Policy add-on and Defender as
 * the config says.
 */
export class AzureCluster extends pulumi.ComponentResource {
  /** The kubeconfig authenticates with Entra ID, through kubelogin's exec plugin in the configured login mode. */
  readonly outputs: ClusterAccess;
  readonly id: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;

  constructor(name: string, args: AzureClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Cluster", name, {}, opts);
    const check = new ArgumentChecks(`invalid AzureCluster '${name}'`);
    clusterArgsProblems(args, check);
    check.throwIfAny(Error);

    const grant = (grantName: string, role: BuiltInRole, scope: pulumi.Input<string>) =>
      new RoleAssignment(
        `${name}-${grantName}`,
        {
          principalId: args.identity.principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: roleDefinitionId(args.subscriptionId, role),
          scope,
        },
        { parent: this },
      );
    const controlPlaneGrants = [
      ...args.nodeSubnetIds.map((scope, i) => grant(`network-${args.zones[i]}`, "networkContributor", scope)),
      grant("network-apiserver", "networkContributor", args.apiServerSubnetId),
      // Creating a disk with the set needs at least Microsoft.Compute/diskEncryptionSets/read
      // (LinkedAuthorizationFailed without it); the BYOK guide grants Contributor on the set's resource group
      // (https://learn.microsoft.com/en-us/azure/aks/azure-disk-customer-managed-keys): a group that holds the set
      // alone. The pack's least-privilege rule reports it (advisory); docs/azure.md says why it stands.
      grant("des-group-contributor", "contributor", args.diskEncryptionGroupId),
    ];

    const [systemPool, ...userPools] = args.nodePools;
    const { zones, nodeSubnetIds, tags } = args;
    const pools = {
      version: clusterVersions[args.version],
      zones,
      nodeSubnetIds,
      tags,
      encryptionAtHost: args.encryptionAtHost,
    };
    const [firstShare, ...otherSystemShares] = zonalPoolArgs(systemPool, true, pools);

    const cluster = new ManagedCluster(
      `${name}-aks`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        resourceName: args.clusterName,
        dnsPrefix: args.dnsPrefix,
        kubernetesVersion: clusterVersions[args.version],
        nodeResourceGroup: pulumi.interpolate`${args.resourceGroupName}-nodes`,
        sku: { name: "Base", tier: "Standard" },
        supportPlan: "KubernetesOfficial",
        autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
        identity: {
          type: "UserAssigned",
          userAssignedIdentities: [afterPropagation([...args.identityGrants, ...controlPlaneGrants], args.identity.id)],
        },
        enableRBAC: true,
        aadProfile: { managed: true, enableAzureRBAC: true, tenantID: args.tenantId },
        disableLocalAccounts: true,
        apiServerAccessProfile: apiServerAccess(args.publicAccessCidrs ?? [], args.apiServerSubnetId),
        addonProfiles: { azurepolicy: { enabled: args.azurePolicy ?? true } },
        securityProfile: {
          azureKeyVaultKms: {
            enabled: true,
            keyId: args.keyUriWithVersion,
            // Private: the vault refuses public access; AKS reaches it through its own private endpoint.
            keyVaultNetworkAccess: "Private",
            keyVaultResourceId: args.vaultId,
          },
          workloadIdentity: { enabled: true },
          imageCleaner: { enabled: true, intervalHours: 48 },
          ...(args.defender
            ? {
                defender: {
                  logAnalyticsWorkspaceResourceId: args.workspaceId,
                  securityMonitoring: { enabled: true },
                },
              }
            : {}),
        },
        oidcIssuerProfile: { enabled: true },
        diskEncryptionSetID: args.diskEncryptionSetId,
        networkProfile: {
          networkPlugin: "azure",
          networkPluginMode: "overlay",
          networkDataplane: "cilium",
          networkPolicy: "cilium",
          podCidr: args.podCidr,
          serviceCidr: args.serviceCidr,
          dnsServiceIP: dnsServiceIp(args.serviceCidr),
          loadBalancerSku: "standard",
          outboundType: "userAssignedNATGateway",
        },
        // One pool per zone and config pool: the autoscaler keeps the zones' shares even.
        autoScalerProfile: { balanceSimilarNodeGroups: "true" },
        agentPoolProfiles: [firstShare],
        tags: args.tags,
      },
      { parent: this },
    );

    // Pools after the first are their own resources: AKS ignores agentPoolProfiles changes after creation.
    const shares = [
      ...otherSystemShares,
      ...userPools.flatMap((pool) => zonalPoolArgs(pool, false, pools)),
      ...(args.ejabberd ? zonalShares(ejabberdPoolSpec(args.ejabberd), false, pools) : []),
    ];
    for (const share of shares) {
      const { name: poolName, ...rest } = share;
      new AgentPool(
        `${name}-pool-${poolName}`,
        {
          ...rest,
          resourceGroupName: args.resourceGroupName,
          resourceName: cluster.name,
          agentPoolName: poolName as string,
        },
        { parent: this },
      );
    }

    const admin = new RoleAssignment(
      `${name}-deployer-admin`,
      {
        principalId: args.deployerObjectId,
        // ARM assumes User when this is missing and refuses a service principal (UnmatchedPrincipalType).
        principalType: args.deployerPrincipalType ?? "User",
        roleDefinitionId: roleDefinitionId(args.subscriptionId, "aksRbacClusterAdmin"),
        scope: cluster.id,
      },
      { parent: this },
    );

    const credentials = listManagedClusterUserCredentialsOutput(
      { resourceGroupName: args.resourceGroupName, resourceName: cluster.name, format: "exec" },
      { parent: this },
    );
    const login = args.login ?? "azurecli";
    const kubeconfig = pulumi.secret(
      credentials.kubeconfigs.apply((configs) => {
        const value = configs[0]?.value;
        if (!value) throw new Error(`AKS returned no kubeconfig for cluster '${args.clusterName}'`);
        return convertKubeconfig(Buffer.from(value, "base64").toString("utf8"), login);
      }),
    );
    // The Kubernetes objects wait for the deployer's cluster-admin role to propagate, or the first ones get 403.
    const provider = new KubernetesProvider(
      `${name}-k8s`,
      { kubeconfig: afterPropagation([admin], kubeconfig), enableServerSideApply: true },
      { parent: this, dependsOn: [admin] },
    );
    this.outputs = { name: cluster.name, kubeconfig, provider };
    this.id = cluster.id;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
    this.registerOutputs({ id: this.id, name: cluster.name, kubeconfig, oidcIssuerUrl: this.oidcIssuerUrl });
  }
}
