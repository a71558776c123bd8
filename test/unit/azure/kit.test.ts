import assert from "node:assert/strict";
import { before, test } from "node:test";
import { keyRotation } from "../../../components/azure/key";
import { AzureKit } from "../../../components/azure/kit";
import type { PlatformOutputs } from "../../../components/contract";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { planGatewaySubnet, planZoneSubnets } from "../../../lib/cidr";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

const config = loadConfig(readStackFile("azure").config, { cloudRules: kitDescriptors }) as PlatformConfig;
const subscription = "00000000-0000-4000-8000-000000000001";
let resources: PlannedResource[] = [];
let outputs: Record<string, unknown> = {};

before(async () => {
  const recorded = await recordProgram(
    () => {
      const o: PlatformOutputs = new AzureKit("warbler-azure", { config, stack: "azure" }).outputs;
      return {
        kubeconfig: o.cluster.kubeconfig,
        password: o.database.password,
        host: o.database.host,
        caBundle: o.database.caBundle,
        bucketEndpoint: o.bucket.endpoint,
        bucketAccount: o.bucket.account,
        clientId: o.cluster.imIdentity.serviceAccountAnnotations["azure.workload.identity/client-id"],
        keyId: o.key.id,
        privateSubnets: o.network.privateSubnetIds.length,
        storageClassName: o.cluster.storageClassName,
      };
    },
    { project: "warbler", stack: "azure", region: "westeurope", accountId: "unused", subscriptionId: subscription },
    providerMocks,
  );
  resources = recorded.resources;
  outputs = recorded.outputs;
});

const ofType = (type: string) => resources.filter((r) => r.type === `azure-native:${type}`);
const one = (type: string) => {
  const found = ofType(type);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0];
};
const inputs = (type: string) => one(type).inputs as Record<string, any>;
const roleGuid = (role: string) =>
  `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
const grantsOf = (principalName: string) =>
  ofType("authorization:RoleAssignment").filter((r) => r.name.startsWith(principalName));
/** The vault's name: the readable part, 4 hex digits of the stack's hash and 4 random characters of this instance. */
const VAULT = /^warbler-azure-784d[0-9a-z]{4}$/;
const vaultName = () => String(inputs("keyvault:Vault").vaultName);

test(
  "one explicit azure-native provider in the stack's region carries every Azure resource; none relies on " +
    "ambient config",
  () => {
    const providers = resources.filter((r) => r.type === "pulumi:providers:azure-native");
    assert.equal(providers.length, 1);
    assert.equal(providers[0].inputs.location, "westeurope");
    const azureResources = resources.filter((r) => r.custom && r.type.startsWith("azure-native:"));
    assert.ok(azureResources.length > 40);
    for (const r of azureResources)
      assert.equal(r.provider, providers[0].urn, `${r.name} uses provider '${r.provider}'`);
    for (const r of resources.filter(
      (r) => r.custom && r.type.startsWith("azure-native:") && "location" in r.inputs && r.inputs.location !== "global",
    )) {
      assert.equal(r.inputs.location, "westeurope", r.name);
    }
  },
);

test("every taggable Azure resource carries owner and data-classification", () => {
  const taggable = resources.filter((r) => r.custom && r.type.startsWith("azure-native:") && "tags" in r.inputs);
  assert.ok(taggable.length > 20);
  for (const r of taggable) {
    const tags = r.inputs.tags as Record<string, string>;
    assert.equal(tags.owner, "im-platform-team", r.name);
    assert.equal(tags["data-classification"], "confidential", r.name);
  }
  for (const type of [
    "network:VirtualNetwork",
    "keyvault:Vault",
    "containerservice:ManagedCluster",
    "dbforpostgresql:Server",
    "storage:StorageAccount",
    "compute:DiskEncryptionSet",
  ]) {
    assert.ok("tags" in inputs(type), `${type} is tagged`);
  }
});

test("subnets follow the shared per-zone layout, with NAT only on node subnets and the gateway block left free", () => {
  const subnets = ofType("network:Subnet");
  const plan = planZoneSubnets(config.network.cidr, 3);
  const prefixes = subnets.map((s) => s.inputs.addressPrefix);
  for (const z of plan) for (const tier of [z.private, z.database, z.public]) assert.ok(prefixes.includes(tier), tier);
  assert.ok(!prefixes.includes(planGatewaySubnet(config.network.cidr)));
  assert.equal(subnets.length, 10);
  for (const s of subnets) assert.equal(s.inputs.defaultOutboundAccess, false, s.name);
  const withNat = subnets.filter((s) => s.inputs.natGateway);
  assert.deepEqual(withNat.map((s) => s.inputs.addressPrefix).sort(), plan.map((z) => z.private).sort());
  assert.deepEqual(
    ofType("network:NatGateway").map((n) => n.inputs.zones),
    [["1"], ["2"], ["3"]],
  );
  const delegated = subnets.filter(
    (s) =>
      (s.inputs.delegations as any[] | undefined)?.[0]?.serviceName === "Microsoft.DBforPostgreSQL/flexibleServers",
  );
  assert.deepEqual(delegated.map((s) => s.inputs.addressPrefix).sort(), plan.map((z) => z.database).sort());
  assert.equal(outputs.privateSubnets, 3);
});

test(
  "the key is an HSM RSA 3072 key rotated automatically in a vault with RBAC, purge protection and no public " +
    "access",
  () => {
    const vault = inputs("keyvault:Vault").properties;
    assert.equal(vault.enableRbacAuthorization, true);
    assert.equal(vault.enableSoftDelete, true);
    assert.equal(vault.softDeleteRetentionInDays, 90);
    assert.equal(vault.enablePurgeProtection, true);
    assert.equal(vault.publicNetworkAccess, "Disabled");
    assert.equal(vault.networkAcls.defaultAction, "Deny");
    assert.equal(vault.sku.name, "premium");
    assert.ok(!vault.accessPolicies, "no access policies: RBAC only");
    const key = inputs("keyvault:Key").properties;
    assert.equal(key.kty, "RSA-HSM");
    assert.ok(key.keySize >= 3072);
    const rotate = key.rotationPolicy.lifetimeActions.find((a: any) => a.action.type === "rotate");
    assert.equal(rotate.trigger.timeAfterCreate, keyRotation.rotateAfter);
    assert.equal(keyRotation.rotateAfter, "P365D");
    assert.match(vaultName(), VAULT);
    assert.equal(String(outputs.keyId), `https://${vaultName()}.vault.azure.net/keys/data`);
    const pe = ofType("network:PrivateEndpoint").find((p) => p.name.startsWith("warbler-azure-key"));
    assert.ok(pe, "the key vault has a private endpoint");
    assert.equal((pe.inputs.privateLinkServiceConnections as any[])[0].groupIds[0], "vault");
  },
);

test("each service identity holds only wrap/unwrap on the key itself, never the whole vault", () => {
  const keyId =
    `/subscriptions/${subscription}/resourceGroups/` +
    `warbler-azure-rg/providers/Microsoft.KeyVault/vaults/` +
    `${vaultName()}/keys/data`;
  for (const who of ["warbler-azure-disk", "warbler-azure-database", "warbler-azure-storage"]) {
    const grants = grantsOf(who);
    assert.equal(grants.length, 1, who);
    assert.equal(grants[0].inputs.roleDefinitionId, roleGuid("e147488a-f6f5-4113-8e2d-b22465e65bf6"));
    assert.equal(grants[0].inputs.scope, keyId);
  }
});

test(
  "AKS admits only the deployer's public range, Secrets are encrypted by KMS with the key, and nodes' OS disks by " +
    "the key through the disk encryption set",
  () => {
    const aks = inputs("containerservice:ManagedCluster");
    assert.equal(aks.apiServerAccessProfile.enablePrivateCluster, false);
    assert.equal(aks.apiServerAccessProfile.enableVnetIntegration, true);
    assert.deepEqual(aks.apiServerAccessProfile.authorizedIPRanges, config.cluster.publicAccessCidrs);
    assert.deepEqual(config.cluster.publicAccessCidrs, ["203.0.113.0/24"]);
    const kms = aks.securityProfile.azureKeyVaultKms;
    assert.equal(kms.enabled, true);
    assert.match(kms.keyId, new RegExp(`^https://${vaultName()}\\.vault\\.azure\\.net/keys/data/[0-9a-f]{32}$`));
    assert.equal(kms.keyVaultNetworkAccess, "Private");
    assert.ok(kms.keyVaultResourceId.endsWith(`Microsoft.KeyVault/vaults/${vaultName()}`));
    const des = inputs("compute:DiskEncryptionSet");
    assert.equal(des.encryptionType, "EncryptionAtRestWithCustomerKey");
    assert.equal(des.activeKey.keyUrl, kms.keyId);
    assert.equal(des.rotationToLatestKeyVersionEnabled, true);
    assert.match(aks.diskEncryptionSetID, /Microsoft\.Compute\/diskEncryptionSets\//);
    for (const pool of aks.agentPoolProfiles) assert.equal(pool.osDiskType, "Managed");
  },
);

test(
  "AKS uses Entra ID with Azure RBAC, no local accounts, workload identity, overlay networking from config, " +
    "pinned version",
  () => {
    const aks = inputs("containerservice:ManagedCluster");
    assert.deepEqual(aks.aadProfile.managed && aks.aadProfile.enableAzureRBAC, true);
    assert.equal(aks.disableLocalAccounts, true);
    assert.equal(aks.oidcIssuerProfile.enabled, true);
    assert.equal(aks.securityProfile.workloadIdentity.enabled, true);
    assert.equal(aks.kubernetesVersion, config.cluster.version);
    assert.equal(aks.networkProfile.networkPluginMode, "overlay");
    assert.equal(aks.networkProfile.podCidr, config.cluster.podCidr);
    assert.equal(aks.networkProfile.serviceCidr, config.cluster.serviceCidr);
    assert.equal(aks.networkProfile.outboundType, "userAssignedNATGateway");
    assert.equal(aks.identity.type, "UserAssigned");
  },
);

/** Every AKS pool of the plan: the one inside the cluster resource and the AgentPool resources. */
const allShares = () => {
  const aks = inputs("containerservice:ManagedCluster");
  return [
    aks.agentPoolProfiles[0],
    ...ofType("containerservice:AgentPool").map((p) => ({ ...p.inputs, name: p.inputs.agentPoolName })),
  ] as any[];
};
const isEjabberdShare = (p: any) => p.tags?.["warbler-pool"] === "ejabberd";

test("each zone has its own pool in its own subnet, and together they autoscale between the configured bounds", () => {
  const aks = inputs("containerservice:ManagedCluster");
  const shares = allShares().filter((p) => !isEjabberdShare(p));
  const [want] = config.cluster.nodePools;
  assert.deepEqual(
    shares.map((p) => [p.name, p.mode, p.availabilityZones, String(p.vnetSubnetID).split("/").pop()]).sort(),
    [
      ["im1", "System", ["1"], "warbler-azure-network-private-1"],
      ["im2", "System", ["2"], "warbler-azure-network-private-2"],
      ["im3", "System", ["3"], "warbler-azure-network-private-3"],
    ],
  );
  const sum = (f: (p: any) => number) => shares.reduce((n, p) => n + f(p), 0);
  assert.equal(
    sum((p) => p.minCount),
    want.min,
  );
  assert.equal(
    sum((p) => p.maxCount),
    want.max,
  );
  assert.equal(aks.autoScalerProfile.balanceSimilarNodeGroups, "true");
  for (const pool of shares) {
    assert.equal(pool.enableAutoScaling, true);
    assert.equal(pool.vmSize, "Standard_D8s_v5");
    assert.equal(pool.linuxOSConfig.sysctls.fsNrOpen, 2097152);
    assert.equal(pool.enableNodePublicIP, false);
    assert.equal(pool.tags["warbler-pool"], want.name);
  }
});

test(
  "the ejabberd pool: one Esv5 User pool per zone for the example's 6 instances of 480,000 and a spare, tainted, " +
    "with the config pools' disk and network settings",
  () => {
    assert.equal(config.im.sessionsPerInstance, 480_000);
    const shares = allShares().filter(isEjabberdShare);
    assert.deepEqual(
      shares.map((p) => [p.name, p.mode, p.availabilityZones, String(p.vnetSubnetID).split("/").pop()]).sort(),
      [
        ["ejabberd1", "User", ["1"], "warbler-azure-network-private-1"],
        ["ejabberd2", "User", ["2"], "warbler-azure-network-private-2"],
        ["ejabberd3", "User", ["3"], "warbler-azure-network-private-3"],
      ],
    );
    const sum = (f: (p: any) => number) => shares.reduce((n, p) => n + f(p), 0);
    assert.deepEqual([sum((p) => p.minCount), sum((p) => p.maxCount)], [6, 7]);
    const other = allShares().find((p) => !isEjabberdShare(p));
    for (const pool of shares) {
      assert.equal(pool.vmSize, "Standard_E8s_v5");
      assert.deepEqual(pool.nodeLabels, { "warbler.io/pool": "ejabberd" });
      assert.deepEqual(pool.nodeTaints, ["warbler.io/dedicated=ejabberd:NoSchedule"]);
      assert.equal(pool.enableAutoScaling, true);
      for (const key of ["osSKU", "osDiskType", "osDiskSizeGB", "enableNodePublicIP", "enableEncryptionAtHost"])
        assert.deepEqual(pool[key], other[key], key);
      assert.deepEqual(pool.linuxOSConfig, other.linuxOSConfig);
      assert.equal(pool.orchestratorVersion, other.orchestratorVersion);
    }
    const poolResources = ofType("containerservice:AgentPool").filter((r) => isEjabberdShare(r.inputs));
    assert.deepEqual(
      poolResources.map((r) => r.name).sort(),
      [1, 2, 3].map((z) => `warbler-azure-cluster-pool-ejabberd${z}`),
    );
  },
);

test("control-plane audit logs go to Log Analytics, kept for the configured days", () => {
  const diag = ofType("monitor:DiagnosticSetting").find((d) => d.name === "warbler-azure-audit-diagnostics")!
    .inputs as Record<string, any>;
  const categories = (diag.logs as any[]).filter((l) => l.enabled).map((l) => l.category);
  assert.deepEqual(categories.sort(), ["kube-apiserver", "kube-audit", "kube-audit-admin"]);
  assert.match(diag.resourceUri, /managedClusters\/warbler-azure-aks$/);
  assert.match(diag.workspaceId, /Microsoft\.OperationalInsights\/workspaces\//);
  assert.equal(inputs("operationalinsights:Workspace").retentionInDays, config.cluster.auditLogRetentionDays);
  for (const table of ofType("operationalinsights:Table"))
    assert.equal(table.inputs.totalRetentionInDays, config.cluster.auditLogRetentionDays);
});

test(
  "PostgreSQL is encrypted with the key, private only, TLS 1.2 required, zone-redundant, retention and lock " +
    "from config",
  () => {
    const server = inputs("dbforpostgresql:Server");
    assert.equal(server.version, config.database.version);
    assert.equal(server.dataEncryption.type, "AzureKeyVault");
    assert.equal(server.dataEncryption.primaryKeyURI, outputs.keyId);
    assert.match(
      server.dataEncryption.primaryUserAssignedIdentityId,
      /userAssignedIdentities\/warbler-azure-database-identity$/,
    );
    assert.equal(server.network.publicNetworkAccess, "Disabled");
    assert.match(server.network.delegatedSubnetResourceId, /subnets\/warbler-azure-network-database-1$/);
    assert.match(
      server.network.privateDnsZoneArmResourceId,
      /privateDnsZones\/warbler-azure-pg-[0-9a-f]{8}\.private\.postgres\.database\.azure\.com$/,
    );
    assert.deepEqual(server.highAvailability, { mode: "ZoneRedundant", standbyAvailabilityZone: "2" });
    assert.equal(server.backup.backupRetentionDays, config.database.backupRetentionDays);
    assert.equal(server.sku.name, "Standard_D4ds_v5");
    assert.equal(server.storage.storageSizeGB, 128);
    assert.equal(server.administratorLoginPassword, "[secret]");
    const params = Object.fromEntries(
      ofType("dbforpostgresql:Configuration").map((c) => [c.inputs.configurationName, c.inputs.value]),
    );
    // The example stack is the failover standby with HA on PostgreSQL 16, so logical replication is on, and slots
    // survive an HA failover through pg_failover_slots (replication.ts haSlotParameters).
    assert.equal(config.failover.role, "standby");
    assert.deepEqual(params, {
      hot_standby_feedback: "on",
      require_secure_transport: "ON",
      shared_preload_libraries: "pg_cron,pg_stat_statements,pg_failover_slots",
      ssl_min_protocol_version: "TLSv1.2",
      wal_level: "logical",
    });
    assert.equal(inputs("authorization:ManagementLockByScope").level, "CanNotDelete");
    assert.equal(outputs.password, "[secret]");
    assert.equal(outputs.host, "warbler-azure-pg-c129df44.postgres.database.azure.com");
    assert.match(String(outputs.caBundle), /^-----BEGIN CERTIFICATE-----/);
  },
);

test(
  "the storage account is CMK-encrypted, TLS 1.2 and HTTPS " + "only, with no public, anonymous or shared-key access",
  () => {
    const account = inputs("storage:StorageAccount");
    assert.equal(account.kind, "StorageV2");
    assert.equal(account.encryption.keySource, "Microsoft.Keyvault");
    assert.equal(account.encryption.keyVaultProperties.keyName, "data");
    assert.equal(account.encryption.keyVaultProperties.keyVaultUri, `https://${vaultName()}.vault.azure.net/`);
    assert.match(
      account.encryption.encryptionIdentity.encryptionUserAssignedIdentity,
      /warbler-azure-storage-identity$/,
    );
    assert.equal(account.encryption.requireInfrastructureEncryption, true);
    assert.equal(account.minimumTlsVersion, "TLS1_2");
    assert.equal(account.enableHttpsTrafficOnly, true);
    assert.equal(account.allowBlobPublicAccess, false);
    assert.equal(account.allowSharedKeyAccess, false);
    assert.equal(account.publicNetworkAccess, "Disabled");
    assert.equal(account.networkRuleSet.defaultAction, "Deny");
    assert.equal(inputs("storage:BlobContainer").publicAccess, "None");
    assert.equal(inputs("storage:BlobServiceProperties").isVersioningEnabled, true);
    assert.equal(inputs("storage:BlobServiceProperties").deleteRetentionPolicy.enabled, true);
    const rules = inputs("storage:ManagementPolicy").policy.rules as any[];
    assert.equal(
      rules[0].definition.actions.version.delete.daysAfterCreationGreaterThan,
      config.storage.noncurrentVersionDays,
    );
    assert.equal(outputs.bucketEndpoint, `https://${outputs.bucketAccount}.blob.core.windows.net/`);
  },
);

test("the default StorageClass encrypts volumes with the key through the disk encryption set", () => {
  const sc = resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")!;
  const i = sc.inputs as Record<string, any>;
  assert.equal(i.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
  assert.equal(i.provisioner, "disk.csi.azure.com");
  assert.equal(i.parameters.diskEncryptionType, "EncryptionAtRestWithCustomerKey");
  assert.equal(i.parameters.diskEncryptionSetID, inputs("containerservice:ManagedCluster").diskEncryptionSetID);
  assert.equal(outputs.storageClassName, i.metadata.name);
});

test("workload identity trusts exactly warbler-im/warbler-upload and may use only the upload container", () => {
  const fic = inputs("managedidentity:FederatedIdentityCredential");
  // The upload service's ServiceAccount (components/contract.ts imWorkload); ejabberd has none of this identity.
  assert.equal(fic.subject, "system:serviceaccount:warbler-im:warbler-upload");
  assert.deepEqual(fic.audiences, ["api://AzureADTokenExchange"]);
  assert.match(fic.issuer, /^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//);
  const grants = grantsOf("warbler-azure-workload");
  const scopeOf = (role: string) =>
    grants.filter((g) => g.inputs.roleDefinitionId === roleGuid(role)).map((g) => String(g.inputs.scope));
  // No role on the key: the account encrypts through its own identity, and no IM workload calls Key Vault.
  assert.equal(grants.length, 1);
  const [container] = scopeOf("ba92f5b4-2d11-453d-a403-e96b0029c9fe");
  assert.match(
    container,
    /\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+\/blobServices\/default\/containers\/uploads$/,
    "Blob Data Contributor on the upload container only",
  );
  assert.match(String(outputs.clientId), /^[0-9a-f-]{36}$/);
});

test("the kubeconfig is a secret", () => {
  assert.equal(outputs.kubeconfig, "[secret]");
});

// The AKS BYOK guide (https://learn.microsoft.com/en-us/azure/aks/azure-disk-customer-managed-keys) grants the
// cluster identity Contributor on the disk encryption set's resource group, or disks fail with
// LinkedAuthorizationFailed on Microsoft.Compute/diskEncryptionSets/read. The set gets a group of its own, so that
// grant reaches nothing else: not the vault, the database or the storage account of the main group.
test("the cluster identity is Contributor on the set's own group, and the cluster waits for that grant", () => {
  const [grant] = grantsOf("warbler-azure-cluster-des-group-contributor");
  assert.equal(grant.inputs.roleDefinitionId, roleGuid("b24988ac-6180-42a0-ab88-20f7382dd24c"));
  assert.equal(grant.inputs.principalType, "ServicePrincipal");
  assert.ok(one("containerservice:ManagedCluster").dependencies.includes(grant.urn));
  const groups = ofType("resources:ResourceGroup");
  const disks = groups.find((g) => String(g.inputs.resourceGroupName).endsWith("disks-rg"));
  assert.ok(disks, "a resource group for the disk encryption set");
  assert.equal(
    String(grant.inputs.scope),
    `/subscriptions/${subscription}/resourceGroups/${String(disks.inputs.resourceGroupName)}`,
  );
  const des = one("compute:DiskEncryptionSet");
  assert.equal(des.inputs.resourceGroupName, disks.inputs.resourceGroupName);
  const others = resources.filter(
    (r) =>
      r.inputs.resourceGroupName === disks.inputs.resourceGroupName &&
      r.type !== "azure-native:resources:ResourceGroup",
  );
  assert.deepEqual(
    others.map((r) => r.type),
    ["azure-native:compute:DiskEncryptionSet"],
  );
});

test("each CMK consumer is created only after its identity's grant: ARM checks key access at create", () => {
  for (const [type, grant] of [
    ["compute:DiskEncryptionSet", "warbler-azure-disk-key"],
    ["dbforpostgresql:Server", "warbler-azure-database-key"],
    ["storage:StorageAccount", "warbler-azure-storage-key"],
    ["containerservice:ManagedCluster", "warbler-azure-cluster-key"],
  ]) {
    const [g] = grantsOf(grant);
    assert.ok(one(type).dependencies.includes(g.urn), `${type} after ${grant}`);
  }
});

// ARM refuses a principalType that differs from the principal's kind ("UnmatchedPrincipalType ... has type
// 'ServicePrincipal', which is different from specified PrincipalType 'User'",
// Azure/modern-web-app-pattern-dotnet#129);
// User, Group and ServicePrincipal are the values it takes (hashicorp/terraform-provider-azurerm#4168).
test("the deployer's roles name its principal type from config: cluster admin and Crypto Officer on the vault", () => {
  const [admin] = grantsOf("warbler-azure-cluster-deployer-admin");
  assert.equal(admin.inputs.principalType, config.cluster.azurePrincipalType);
  assert.equal(config.cluster.azurePrincipalType, "User");
  const [officer] = grantsOf("warbler-azure-key-deployer-officer");
  assert.equal(officer.inputs.roleDefinitionId, roleGuid("14b46e9e-c2b7-41b4-b07b-48a6ebf60603"));
  assert.match(String(officer.inputs.scope), /Microsoft\.KeyVault\/vaults\/[^/]+$/);
  assert.equal(officer.inputs.principalType, "User");
  assert.ok(one("keyvault:Key").dependencies.includes(officer.urn), "the key waits for the deployer's role");
  const k8s = resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
  assert.ok(k8s.dependencies.includes(admin.urn));
});

test("Key Vault, Blob and PostgreSQL send all their resource logs to the audit workspace", () => {
  const settings = ofType("monitor:DiagnosticSetting");
  const workspace = one("operationalinsights:Workspace");
  for (const [name, target] of [
    ["vault-logs", /Microsoft\.KeyVault\/vaults\/[^/]+$/],
    ["blob-logs", /Microsoft\.Storage\/storageAccounts\/[^/]+\/blobServices\/default$/],
    ["postgres-logs", /Microsoft\.DBforPostgreSQL\/flexibleServers\/[^/]+$/],
  ] as const) {
    const s = settings.find((d) => d.name === `warbler-azure-audit-${name}`);
    assert.ok(s, name);
    assert.match(String(s.inputs.resourceUri), target);
    assert.deepEqual(s.inputs.logs, [{ categoryGroup: "allLogs", enabled: true }]);
    assert.equal(s.inputs.workspaceId, workspace.id);
  }
});

test("the Azure Policy add-on is on and Defender off, as the example stack says", () => {
  const aks = inputs("containerservice:ManagedCluster");
  assert.deepEqual(aks.addonProfiles, { azurepolicy: { enabled: true } });
  assert.equal(aks.securityProfile.defender, undefined);
});

test("the first key version gets an expiry two years out", () => {
  const key = one("keyvault:Key");
  const expires = (key.inputs as any).properties.attributes.expires as number;
  const inTwoYears = Date.now() / 1000 + 730 * 86400;
  assert.ok(Math.abs(expires - inTwoYears) < 3600, String(expires));
});
