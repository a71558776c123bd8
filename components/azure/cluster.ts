import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { listManagedClusterUserCredentialsOutput } from "@pulumi/azure-native/containerservice";
import { AgentPool } from "@pulumi/azure-native/containerservice/agentPool";
import { ManagedCluster } from "@pulumi/azure-native/containerservice/managedCluster";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { kubernetesVersions } from "../../config/clouds";
import { ArgumentChecks } from "../../lib/check";
import { formatCidr, parseCidr } from "../../lib/cidr";
import type { ClusterAccess, NodePoolConfig } from "../contract";
import { agentPoolName } from "./naming";
import { nodePoolArgs } from "./node-pool";
import { roleDefinitionId } from "./permissions";
import type { AzurePlacement } from "./placement";
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
  /** CIDRs allowed to a public API endpoint; empty keeps the cluster private. @default [] */
  publicAccessCidrs?: string[];
  /** Service range (config cluster.serviceCidr). @default - none, required */
  serviceCidr: string;
  /** Overlay pod range (config cluster.podCidr). @default - none, required */
  podCidr: string;
  /** Azure zones the pools spread over. @default - none, required */
  zones: string[];
  /** Node subnets, one per zone block; pools are placed round-robin. @default - none, required */
  nodeSubnetIds: pulumi.Input<string>[];
  /** Subnet delegated for API Server VNet Integration. @default - none, required */
  apiServerSubnetId: pulumi.Input<string>;
  /**
   * Control-plane identity: Key Vault Crypto User on the key, Key Vault Contributor on the vault.
   * @default - none, required
   */
  identity: { id: pulumi.Input<string>; principalId: pulumi.Input<string> };
  /** Resources the control-plane identity's grants depend on; the cluster waits for them. @default - none, required */
  identityGrants: pulumi.Resource[];
  /** Versioned key URI for KMS etcd encryption. @default - none, required */
  keyUriWithVersion: pulumi.Input<string>;
  /** Resource id of the (private) vault holding the key. @default - none, required */
  vaultId: pulumi.Input<string>;
  /** Disk encryption set for node OS disks. @default - none, required */
  diskEncryptionSetId: pulumi.Input<string>;
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
  args: Pick<AzureClusterArgs, "nodePools" | "zones" | "nodeSubnetIds" | "serviceCidr">,
  check = new ArgumentChecks(),
): readonly string[] {
  const seen = new Map<string, string>();
  args.nodePools.forEach((pool, i) => {
    const azureName = agentPoolName(pool.name);
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
 * AKS, private and encrypted by default: a private API endpoint projected
 * into the VNet (API Server VNet Integration, which KMS with a private vault
 * requires), Secrets encrypted in etcd by Key Vault KMS with the stack's key,
 * node OS disks encrypted by the disk encryption set, Entra ID authentication
 * with Azure RBAC and no local accounts, OIDC issuer and workload identity,
 * Azure CNI overlay with Cilium network policy, egress through the VNet's NAT
 * gateways, and autoscaling zone-spanning node pools.
 */
export class AzureCluster extends pulumi.ComponentResource {
  /** The kubeconfig authenticates with Entra ID, through kubelogin's exec plugin. */
  readonly outputs: ClusterAccess;
  readonly id: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;

  constructor(name: string, args: AzureClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Cluster", name, {}, opts);
    const check = new ArgumentChecks(`invalid AzureCluster '${name}'`);
    clusterArgsProblems(args, check);
    check.throwIfAny(Error);

    const publicCidrs = args.publicAccessCidrs ?? [];
    const networkGrants = [
      ...args.nodeSubnetIds.map((scope, i) => ({ name: `network-${args.zones[i]}`, scope })),
      { name: "network-apiserver", scope: args.apiServerSubnetId },
    ].map(
      (grant) =>
        new RoleAssignment(
          `${name}-${grant.name}`,
          {
            principalId: args.identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: roleDefinitionId(args.subscriptionId, "networkContributor"),
            scope: grant.scope,
          },
          { parent: this },
        ),
    );

    const [systemPool, ...userPools] = args.nodePools;
    const { zones, nodeSubnetIds, tags } = args;
    const pools = { version: clusterVersions[args.version], zones, nodeSubnetIds, tags };

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
        identity: { type: "UserAssigned", userAssignedIdentities: [args.identity.id] },
        enableRBAC: true,
        aadProfile: { managed: true, enableAzureRBAC: true, tenantID: args.tenantId },
        disableLocalAccounts: true,
        apiServerAccessProfile: {
          enableVnetIntegration: true,
          subnetId: args.apiServerSubnetId,
          ...(publicCidrs.length === 0
            ? { enablePrivateCluster: true, privateDNSZone: "system", enablePrivateClusterPublicFQDN: false }
            : { enablePrivateCluster: false, authorizedIPRanges: publicCidrs }),
        },
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
        agentPoolProfiles: [nodePoolArgs(systemPool, 0, pools)],
        tags: args.tags,
      },
      { parent: this, dependsOn: [...args.identityGrants, ...networkGrants] },
    );

    // Pools after the first are their own resources: AKS ignores agentPoolProfiles changes after creation.
    userPools.forEach((pool, i) => {
      const { name: poolName, ...rest } = nodePoolArgs(pool, i + 1, pools);
      new AgentPool(
        `${name}-pool-${pool.name}`,
        { ...rest, resourceGroupName: args.resourceGroupName, resourceName: cluster.name, agentPoolName: poolName },
        { parent: this },
      );
    });

    const admin = new RoleAssignment(
      `${name}-deployer-admin`,
      {
        principalId: args.deployerObjectId,
        roleDefinitionId: roleDefinitionId(args.subscriptionId, "aksRbacClusterAdmin"),
        scope: cluster.id,
      },
      { parent: this },
    );

    const credentials = listManagedClusterUserCredentialsOutput(
      { resourceGroupName: args.resourceGroupName, resourceName: cluster.name, format: "exec" },
      { parent: this },
    );
    const kubeconfig = pulumi.secret(
      credentials.kubeconfigs.apply((configs) => {
        const value = configs[0]?.value;
        if (!value) throw new Error(`AKS returned no kubeconfig for cluster '${args.clusterName}'`);
        return Buffer.from(value, "base64").toString("utf8");
      }),
    );
    const provider = new KubernetesProvider(
      `${name}-k8s`,
      { kubeconfig, enableServerSideApply: true },
      { parent: this, dependsOn: [admin] },
    );
    this.outputs = { name: cluster.name, kubeconfig, provider };
    this.id = cluster.id;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
    this.registerOutputs({ id: this.id, name: cluster.name, kubeconfig, oidcIssuerUrl: this.oidcIssuerUrl });
  }
}
