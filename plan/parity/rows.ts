import type { Cloud } from "../../config/clouds";
import type { PlanDocument } from "../document";
import { cite, input, ofType, stackKeyRefs, type PlanResource } from "./plan-query";

/** One cell of the matrix: a comparable value and the planned inputs that prove it. */
export interface Cell {
  value: string;
  evidence: string[];
}

/** A capability compared across clouds, computed from each plan's resource inputs. */
export interface ParityRow {
  id: string;
  title: string;
  /** The value a secure default must produce, when there is one. */
  secure?: (value: string) => boolean;
  cell: Record<Cloud, (plan: PlanDocument) => Cell>;
}

const STACK_KEY = "stack key";
const isStackKey = (v: string) => v === STACK_KEY;

/** "stack key" when every reference names a key of this plan, else what was found. */
function keyCell(plan: PlanDocument, refs: { resource: PlanResource; path: string }[], enabled = true): Cell {
  const keys = stackKeyRefs(plan);
  const evidence = refs.map((r) => cite(r.resource, r.path));
  if (refs.length === 0) return { value: "missing", evidence: ["no resource found"] };
  if (!enabled) return { value: "off", evidence };
  const all = refs.every((r) => keys.has(String(input(r.resource, r.path))));
  return { value: all ? STACK_KEY : "other key", evidence };
}

function yesNo(ok: boolean, yes: string, no: string, evidence: string[]): Cell {
  return { value: ok ? yes : no, evidence };
}

function one(plan: PlanDocument, type: string): PlanResource {
  const found = ofType(plan, type);
  if (found.length === 0) throw new Error(`the plan of '${plan.stack}' has no ${type}`);
  return found[0];
}

function apiEndpoint(privateOnly: boolean, allowList: unknown, evidence: string[]): Cell {
  if (privateOnly) return { value: "private", evidence };
  return Array.isArray(allowList) && allowList.length > 0 && !allowList.includes("0.0.0.0/0")
    ? { value: `allow-listed: ${[...allowList].sort().join(", ")}`, evidence }
    : { value: "public", evidence };
}

/** Days from an ISO-8601 duration such as P365D, or a plain "365d". */
function days(text: unknown): number | undefined {
  const m = /^P?(\d+)[Dd]$/.exec(String(text));
  return m ? Number(m[1]) : undefined;
}

export const parityRows: ParityRow[] = [
  {
    id: "private-api-endpoint",
    title: "Private Kubernetes API endpoint",
    secure: (v) => v === "private" || v.startsWith("allow-listed"),
    cell: {
      aws: (p) => {
        const c = one(p, "aws:eks/cluster:Cluster");
        const ev = ["vpcConfig.endpointPrivateAccess", "vpcConfig.endpointPublicAccess", "vpcConfig.publicAccessCidrs"].map((k) => cite(c, k));
        if (input(c, "vpcConfig.endpointPrivateAccess") !== true) return { value: "public", evidence: ev };
        return apiEndpoint(input(c, "vpcConfig.endpointPublicAccess") === false, input(c, "vpcConfig.publicAccessCidrs"), ev);
      },
      azure: (p) => {
        const c = one(p, "azure-native:containerservice:ManagedCluster");
        const ev = ["apiServerAccessProfile.enablePrivateCluster", "apiServerAccessProfile.authorizedIPRanges"].map((k) => cite(c, k));
        return apiEndpoint(input(c, "apiServerAccessProfile.enablePrivateCluster") === true, input(c, "apiServerAccessProfile.authorizedIPRanges"), ev);
      },
      alicloud: (p) => {
        const c = one(p, "alicloud:cs/managedKubernetes:ManagedKubernetes");
        return apiEndpoint(input(c, "slbInternetEnabled") === false, undefined, [cite(c, "slbInternetEnabled")]);
      },
    },
  },
  {
    id: "secrets-encryption-cmk",
    title: "Kubernetes Secrets encrypted with the stack's key",
    secure: isStackKey,
    cell: {
      aws: (p) => {
        const c = one(p, "aws:eks/cluster:Cluster");
        const resources = input(c, "encryptionConfig.resources");
        return keyCell(p, [{ resource: c, path: "encryptionConfig.provider.keyArn" }], Array.isArray(resources) && resources.includes("secrets"));
      },
      azure: (p) => {
        const c = one(p, "azure-native:containerservice:ManagedCluster");
        return keyCell(p, [{ resource: c, path: "securityProfile.azureKeyVaultKms.keyId" }], input(c, "securityProfile.azureKeyVaultKms.enabled") === true);
      },
      alicloud: (p) => {
        const c = one(p, "alicloud:cs/managedKubernetes:ManagedKubernetes");
        return keyCell(p, [{ resource: c, path: "encryptionProviderKey" }], input(c, "disableEncryption") !== true);
      },
    },
  },
  {
    id: "node-disk-encryption-cmk",
    title: "Node disks encrypted with the stack's key",
    secure: isStackKey,
    cell: {
      aws: (p) => {
        const templates = ofType(p, "aws:ec2/launchTemplate:LaunchTemplate");
        const refs = templates.flatMap((t) =>
          ((input(t, "blockDeviceMappings") as unknown[]) ?? []).map((_, i) => ({ resource: t, path: `blockDeviceMappings.${i}.ebs.kmsKeyId` })),
        );
        const encrypted = templates.every((t) => ((input(t, "blockDeviceMappings") as { ebs?: { encrypted?: string } }[]) ?? []).every((m) => m.ebs?.encrypted === "true"));
        return keyCell(p, refs, encrypted);
      },
      azure: (p) => {
        const des = one(p, "azure-native:compute:DiskEncryptionSet");
        const cluster = one(p, "azure-native:containerservice:ManagedCluster");
        const cell = keyCell(p, [{ resource: des, path: "activeKey.keyUrl" }], input(des, "encryptionType") === "EncryptionAtRestWithCustomerKey");
        const attached = input(cluster, "diskEncryptionSetID") === des.id;
        return attached ? { ...cell, evidence: [...cell.evidence, cite(cluster, "diskEncryptionSetID")] } : { value: "off", evidence: [cite(cluster, "diskEncryptionSetID")] };
      },
      alicloud: (p) => {
        const pools = ofType(p, "alicloud:cs/nodePool:NodePool");
        const refs = pools.flatMap((n) => [
          { resource: n, path: "systemDiskKmsKey" },
          ...((input(n, "dataDisks") as unknown[]) ?? []).map((_, i) => ({ resource: n, path: `dataDisks.${i}.kmsKeyId` })),
        ]);
        const encrypted = pools.every((n) => input(n, "systemDiskEncrypted") === true && ((input(n, "dataDisks") as { encrypted?: string }[]) ?? []).every((d) => d.encrypted === "true"));
        return keyCell(p, refs, encrypted);
      },
    },
  },
  {
    id: "database-encryption-cmk",
    title: "Database storage encrypted with the stack's key",
    secure: isStackKey,
    cell: {
      aws: (p) => {
        const db = one(p, "aws:rds/instance:Instance");
        return keyCell(p, [{ resource: db, path: "kmsKeyId" }], input(db, "storageEncrypted") === true);
      },
      azure: (p) => {
        const db = one(p, "azure-native:dbforpostgresql:Server");
        return keyCell(p, [{ resource: db, path: "dataEncryption.primaryKeyURI" }], input(db, "dataEncryption.type") === "AzureKeyVault");
      },
      alicloud: (p) => keyCell(p, [{ resource: one(p, "alicloud:rds/instance:Instance"), path: "encryptionKey" }]),
    },
  },
  {
    id: "database-tls-required",
    title: "Database refuses connections without TLS",
    secure: (v) => v === "required",
    cell: {
      aws: (p) => {
        const groups = ofType(p, "aws:rds/parameterGroup:ParameterGroup");
        const db = one(p, "aws:rds/instance:Instance");
        const group = groups.find((g) => input(g, "name") === input(db, "parameterGroupName") || g.id === input(db, "parameterGroupName"));
        const params = (group ? (input(group, "parameters") as { name: string; value: string }[]) : []) ?? [];
        const forced = params.some((x) => x.name === "rds.force_ssl" && x.value === "1");
        return yesNo(forced, "required", "optional", [cite(db, "parameterGroupName"), group ? `${group.type} ${group.name}: rds.force_ssl = ${params.find((x) => x.name === "rds.force_ssl")?.value}` : "no parameter group"]);
      },
      azure: (p) => {
        const conf = ofType(p, "azure-native:dbforpostgresql:Configuration").find((c) => input(c, "configurationName") === "require_secure_transport");
        return conf ? yesNo(String(input(conf, "value")).toUpperCase() === "ON", "required", "optional", [cite(conf, "value")]) : { value: "optional", evidence: ["no require_secure_transport configuration"] };
      },
      alicloud: (p) => {
        const db = one(p, "alicloud:rds/instance:Instance");
        const rules = (input(db, "pgHbaConfs") as { type: string; address: string; method: string }[]) ?? [];
        const rejectsPlain = rules.some((r) => r.type === "hostnossl" && r.address === "0.0.0.0/0" && r.method === "reject");
        return yesNo(input(db, "sslAction") === "Open" && rejectsPlain, "required", "optional", [cite(db, "sslAction"), cite(db, "pgHbaConfs")]);
      },
    },
  },
  {
    id: "database-not-public",
    title: "Database has no public endpoint",
    secure: (v) => v === "private",
    cell: {
      aws: (p) => {
        const db = one(p, "aws:rds/instance:Instance");
        return yesNo(input(db, "publiclyAccessible") === false, "private", "public", [cite(db, "publiclyAccessible")]);
      },
      azure: (p) => {
        const db = one(p, "azure-native:dbforpostgresql:Server");
        return yesNo(input(db, "network.publicNetworkAccess") === "Disabled", "private", "public", [cite(db, "network.publicNetworkAccess")]);
      },
      alicloud: (p) => {
        const db = one(p, "alicloud:rds/instance:Instance");
        const publicConnections = ofType(p, "alicloud:rds/connection:Connection");
        const ips = (input(db, "securityIps") as string[]) ?? [];
        return yesNo(publicConnections.length === 0 && !ips.includes("0.0.0.0/0"), "private", "public", [cite(db, "securityIps"), `alicloud:rds/connection:Connection count = ${publicConnections.length}`]);
      },
    },
  },
  {
    id: "database-ha",
    title: "Database high availability across zones",
    cell: {
      aws: (p) => {
        const db = one(p, "aws:rds/instance:Instance");
        return yesNo(input(db, "multiAz") === true, "zone-redundant", "single zone", [cite(db, "multiAz")]);
      },
      azure: (p) => {
        const db = one(p, "azure-native:dbforpostgresql:Server");
        return yesNo(input(db, "highAvailability.mode") === "ZoneRedundant", "zone-redundant", "single zone", [cite(db, "highAvailability.mode")]);
      },
      alicloud: (p) => {
        const db = one(p, "alicloud:rds/instance:Instance");
        const ha = input(db, "category") === "HighAvailability" && input(db, "zoneIdSlaveA") !== undefined && input(db, "zoneIdSlaveA") !== input(db, "zoneId");
        return yesNo(ha, "zone-redundant", "single zone", [cite(db, "category"), cite(db, "zoneId"), cite(db, "zoneIdSlaveA")]);
      },
    },
  },
  {
    id: "backup-retention",
    title: "Database backup retention",
    secure: (v) => Number.parseInt(v, 10) >= 7,
    cell: {
      aws: (p) => {
        const db = one(p, "aws:rds/instance:Instance");
        return { value: `${String(input(db, "backupRetentionPeriod"))} days`, evidence: [cite(db, "backupRetentionPeriod")] };
      },
      azure: (p) => {
        const db = one(p, "azure-native:dbforpostgresql:Server");
        return { value: `${String(input(db, "backup.backupRetentionDays"))} days`, evidence: [cite(db, "backup.backupRetentionDays")] };
      },
      alicloud: (p) => {
        const policy = one(p, "alicloud:rds/backupPolicy:BackupPolicy");
        return { value: `${String(input(policy, "backupRetentionPeriod"))} days`, evidence: [cite(policy, "backupRetentionPeriod")] };
      },
    },
  },
  {
    id: "bucket-sse-cmk",
    title: "File bucket encrypted with the stack's key",
    secure: isStackKey,
    cell: {
      aws: (p) => {
        const sse = one(p, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        return keyCell(p, [{ resource: sse, path: "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId" }], input(sse, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm") === "aws:kms");
      },
      azure: (p) => {
        const account = one(p, "azure-native:storage:StorageAccount");
        const key = one(p, "azure-native:keyvault:Key");
        const evidence = [cite(account, "encryption.keySource"), cite(account, "encryption.keyVaultProperties.keyName"), cite(account, "encryption.keyVaultProperties.keyVaultUri")];
        const keyUri = String(key.outputs.keyUri ?? "");
        const vaultUri = String(input(account, "encryption.keyVaultProperties.keyVaultUri") ?? "").replace(/\/$/, "");
        const sameKey = input(account, "encryption.keyVaultProperties.keyName") === input(key, "keyName") && vaultUri !== "" && keyUri.startsWith(vaultUri);
        if (input(account, "encryption.keySource") !== "Microsoft.Keyvault") return { value: "off", evidence };
        return { value: sameKey ? STACK_KEY : "other key", evidence };
      },
      alicloud: (p) => {
        const bucket = one(p, "alicloud:oss/bucket:Bucket");
        return keyCell(p, [{ resource: bucket, path: "serverSideEncryptionRule.kmsMasterKeyId" }], input(bucket, "serverSideEncryptionRule.sseAlgorithm") === "KMS");
      },
    },
  },
  {
    id: "bucket-public-access-blocked",
    title: "File bucket public access blocked",
    secure: (v) => v === "blocked",
    cell: {
      aws: (p) => {
        const block = one(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
        return yesNo(flags.every((f) => input(block, f) === true), "blocked", "open", flags.map((f) => cite(block, f)));
      },
      azure: (p) => {
        const account = one(p, "azure-native:storage:StorageAccount");
        const containers = ofType(p, "azure-native:storage:BlobContainer");
        const ok = input(account, "allowBlobPublicAccess") === false && containers.every((c) => (input(c, "publicAccess") ?? "None") === "None");
        return yesNo(ok, "blocked", "open", [cite(account, "allowBlobPublicAccess"), ...containers.map((c) => cite(c, "publicAccess"))]);
      },
      alicloud: (p) => {
        const block = one(p, "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock");
        return yesNo(input(block, "blockPublicAccess") === true, "blocked", "open", [cite(block, "blockPublicAccess")]);
      },
    },
  },
  {
    id: "key-rotation",
    title: "Customer-managed key rotated automatically",
    secure: (v) => v.startsWith("every"),
    cell: {
      aws: (p) => {
        const key = one(p, "aws:kms/key:Key");
        const on = input(key, "enableKeyRotation") === true;
        return { value: on ? `every ${String(input(key, "rotationPeriodInDays") ?? 365)} days` : "off", evidence: [cite(key, "enableKeyRotation"), cite(key, "rotationPeriodInDays")] };
      },
      azure: (p) => {
        const key = one(p, "azure-native:keyvault:Key");
        const actions = (input(key, "properties.rotationPolicy.lifetimeActions") as { action: { type: string }; trigger: { timeAfterCreate?: string } }[]) ?? [];
        const rotate = actions.find((a) => a.action.type.toLowerCase() === "rotate");
        const d = days(rotate?.trigger.timeAfterCreate);
        return { value: d ? `every ${d} days` : "off", evidence: [cite(key, "properties.rotationPolicy.lifetimeActions")] };
      },
      alicloud: (p) => {
        const key = one(p, "alicloud:kms/key:Key");
        const d = input(key, "automaticRotation") === "Enabled" ? days(input(key, "rotationInterval")) : undefined;
        return { value: d ? `every ${d} days` : "off", evidence: [cite(key, "automaticRotation"), cite(key, "rotationInterval")] };
      },
    },
  },
  {
    id: "audit-logs",
    title: "Control-plane audit logs to the cloud's log service",
    secure: (v) => v === "on",
    cell: {
      aws: (p) => {
        const c = one(p, "aws:eks/cluster:Cluster");
        const types = (input(c, "enabledClusterLogTypes") as string[]) ?? [];
        return yesNo(types.includes("audit"), "on", "off", [cite(c, "enabledClusterLogTypes")]);
      },
      azure: (p) => {
        const settings = ofType(p, "azure-native:monitor:DiagnosticSetting");
        const on = settings.some((s) => ((input(s, "logs") as { category?: string; enabled?: boolean }[]) ?? []).some((l) => l.category === "kube-audit" && l.enabled === true));
        return yesNo(on, "on", "off", settings.map((s) => cite(s, "logs")));
      },
      alicloud: (p) => {
        const c = one(p, "alicloud:cs/managedKubernetes:ManagedKubernetes");
        return yesNo(input(c, "auditLogConfig.enabled") === true, "on", "off", [cite(c, "auditLogConfig.enabled")]);
      },
    },
  },
  {
    id: "autoscaling-bounds",
    title: "Node pools autoscale between min and max",
    cell: {
      aws: (p) => pools(ofType(p, "aws:eks/nodeGroup:NodeGroup").map((g) => ({ r: g, name: String((input(g, "labels") as Record<string, string>)?.["warbler.io/pool"]), min: input(g, "scalingConfig.minSize"), max: input(g, "scalingConfig.maxSize"), on: true, path: "scalingConfig" }))),
      azure: (p) => {
        const cluster = one(p, "azure-native:containerservice:ManagedCluster");
        const inline = ((input(cluster, "agentPoolProfiles") as Record<string, unknown>[]) ?? []).map((a, i) => ({ r: cluster, name: String(a.name), min: a.minCount, max: a.maxCount, on: a.enableAutoScaling === true, path: `agentPoolProfiles.${i}` }));
        const extra = ofType(p, "azure-native:containerservice:AgentPool").map((a) => ({ r: a, name: String(input(a, "agentPoolName")), min: input(a, "minCount"), max: input(a, "maxCount"), on: input(a, "enableAutoScaling") === true, path: "minCount" }));
        return pools([...inline, ...extra]);
      },
      alicloud: (p) => pools(ofType(p, "alicloud:cs/nodePool:NodePool").map((n) => ({ r: n, name: String(input(n, "nodePoolName")), min: input(n, "scalingConfig.minSize"), max: input(n, "scalingConfig.maxSize"), on: input(n, "scalingConfig.enable") === true, path: "scalingConfig" }))),
    },
  },
  {
    id: "zones",
    title: "Zones the nodes and subnets span",
    cell: {
      aws: (p) => zones(ofType(p, "aws:ec2/subnet:Subnet").map((s) => ({ r: s, zone: input(s, "availabilityZone"), path: "availabilityZone" }))),
      azure: (p) => {
        const cluster = one(p, "azure-native:containerservice:ManagedCluster");
        const profiles = (input(cluster, "agentPoolProfiles") as { availabilityZones?: string[] }[]) ?? [];
        return zones(profiles.flatMap((a, i) => (a.availabilityZones ?? []).map((zone) => ({ r: cluster, zone, path: `agentPoolProfiles.${i}.availabilityZones` }))));
      },
      alicloud: (p) => zones(ofType(p, "alicloud:vpc/switch:Switch").map((s) => ({ r: s, zone: input(s, "zoneId"), path: "zoneId" }))),
    },
  },
];

function pools(list: { r: PlanResource; name: string; min: unknown; max: unknown; on: boolean; path: string }[]): Cell {
  if (list.length === 0) return { value: "missing", evidence: ["no node pool found"] };
  const value = list
    .map((x) => `${x.name}: ${x.on ? `${String(x.min)}-${String(x.max)}` : "fixed"}`)
    .sort()
    .join(", ");
  return { value, evidence: list.map((x) => cite(x.r, x.path)) };
}

function zones(list: { r: PlanResource; zone: unknown; path: string }[]): Cell {
  const distinct = new Set(list.map((x) => String(x.zone)));
  return { value: `${distinct.size} zones`, evidence: [...new Set(list.map((x) => `${x.r.type} ${x.r.name}: ${x.path} = ${String(x.zone)}`))].slice(0, 6) };
}
