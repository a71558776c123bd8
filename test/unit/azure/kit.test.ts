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
    assert.match(String(outputs.keyId), /^https:\/\/warbler-azure-[0-9a-f]{8}\.vault\.azure\.net\/keys\/data$/);
    const pe = ofType("network:PrivateEndpoint").find((p) => p.name.startsWith("warbler-azure-key"));
    assert.ok(pe, "the key vault has a private endpoint");
    assert.equal((pe.inputs.privateLinkServiceConnections as any[])[0].groupIds[0], "vault");
  },
);

test("each service identity holds only wrap/unwrap on the key itself, never the whole vault", () => {
  const keyId =
    `/subscriptions/${subscription}/resourceGroups/` +
    `warbler-azure-rg/providers/Microsoft.KeyVault/vaults/` +
    `warbler-azure-784d18db/keys/data`;
  for (const who of ["warbler-azure-disk", "warbler-azure-database", "warbler-azure-storage"]) {
    const grants = grantsOf(who);
    assert.equal(grants.length, 1, who);
    assert.equal(grants[0].inputs.roleDefinitionId, roleGuid("e147488a-f6f5-4113-8e2d-b22465e65bf6"));
    assert.equal(grants[0].inputs.scope, keyId);
  }
});

test(
  "AKS is private, Secrets are encrypted by KMS with the key, and nodes' OS disks by the key through the disk " +
    "encryption set",
  () => {
    const aks = inputs("containerservice:ManagedCluster");
    assert.equal(aks.apiServerAccessProfile.enablePrivateCluster, true);
    assert.equal(aks.apiServerAccessProfile.enableVnetIntegration, true);
    assert.equal(aks.apiServerAccessProfile.authorizedIPRanges, undefined);
    const kms = aks.securityProfile.azureKeyVaultKms;
    assert.equal(kms.enabled, true);
    assert.match(kms.keyId, /^https:\/\/warbler-azure-[0-9a-f]{8}\.vault\.azure\.net\/keys\/data\/[0-9a-f]{32}$/);
    assert.equal(kms.keyVaultNetworkAccess, "Private");
    assert.match(kms.keyVaultResourceId, /Microsoft\.KeyVault\/vaults\/warbler-azure-784d18db$/);
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

test("node pools autoscale between the configured bounds over every zone with the IM sysctls", () => {
  const [pool] = inputs("containerservice:ManagedCluster").agentPoolProfiles;
  const [want] = config.cluster.nodePools;
  assert.equal(pool.enableAutoScaling, true);
  assert.equal(pool.minCount, want.min);
  assert.equal(pool.maxCount, want.max);
  assert.deepEqual(pool.availabilityZones, ["1", "2", "3"]);
  assert.equal(pool.vmSize, "Standard_D8s_v5");
  assert.equal(pool.linuxOSConfig.sysctls.fsNrOpen, 2097152);
  assert.equal(pool.enableNodePublicIP, false);
});

test("control-plane audit logs go to Log Analytics, kept for the configured days", () => {
  const diag = inputs("monitor:DiagnosticSetting");
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
    // The example stack is the failover standby, so logical replication is on too.
    assert.equal(config.failover.role, "standby");
    assert.deepEqual(params, {
      require_secure_transport: "ON",
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
    assert.match(
      account.encryption.keyVaultProperties.keyVaultUri,
      /^https:\/\/warbler-azure-784d18db\.vault\.azure\.net\/$/,
    );
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

test("workload identity trusts exactly warbler-im/warbler-upload and may use only the upload container and key", () => {
  const fic = inputs("managedidentity:FederatedIdentityCredential");
  // The upload service's ServiceAccount (components/contract.ts imWorkload); ejabberd has none of this identity.
  assert.equal(fic.subject, "system:serviceaccount:warbler-im:warbler-upload");
  assert.deepEqual(fic.audiences, ["api://AzureADTokenExchange"]);
  assert.match(fic.issuer, /^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//);
  const keyId =
    `/subscriptions/${subscription}/resourceGroups/` +
    `warbler-azure-rg/providers/Microsoft.KeyVault/vaults/` +
    `warbler-azure-784d18db/keys/data`;
  const grants = grantsOf("warbler-azure-workload");
  const scopeOf = (role: string) =>
    grants.filter((g) => g.inputs.roleDefinitionId === roleGuid(role)).map((g) => String(g.inputs.scope));
  assert.equal(grants.length, 2);
  assert.deepEqual(scopeOf("12338af0-0e69-4776-bea7-57ae8d297424"), [keyId], "Key Vault Crypto User on the key only");
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
