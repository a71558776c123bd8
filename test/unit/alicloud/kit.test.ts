import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AlicloudKit } from "../../../components/alicloud/kit";
import { imWorkload, type PlatformOutputs } from "../../../components/contract";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { planGatewaySubnet, planZoneSubnets } from "../../../lib/cidr";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

const config = loadConfig(readStackFile("alicloud").config, { cloudRules: kitDescriptors }) as PlatformConfig;
const zones = ["eu-central-1a", "eu-central-1b", "eu-central-1c"];
let resources: PlannedResource[] = [];
let outputs: Record<string, unknown> = {};
/** Every invoke the program made, in order: the mocks answer them, this list records them. */
const invokes: { token: string; inputs: Record<string, unknown> }[] = [];
const recordingMocks = providerMocks.map((m) => ({
  ...m,
  calls: Object.fromEntries(
    Object.entries(m.calls).map(([token, answer]) => [
      token,
      (args: Parameters<typeof answer>[0], ctx: Parameters<typeof answer>[1]) => {
        invokes.push({ token, inputs: args.inputs });
        return answer(args, ctx);
      },
    ]),
  ),
}));

before(async () => {
  const recorded = await recordProgram(
    () => {
      const kit = new AlicloudKit("warbler-alicloud", { config, stack: "alicloud" });
      const o: PlatformOutputs = kit.outputs;
      return {
        kubeconfig: o.cluster.kubeconfig,
        password: o.database.password,
        host: o.database.host,
        port: o.database.port,
        bucketEndpoint: o.bucket.endpoint,
        saAnnotations: o.cluster.imIdentity.serviceAccountAnnotations["pod-identity.alibabacloud.com/role-name"],
        storageClassName: o.cluster.storageClassName,
        zones: o.network.zones,
        keyId: o.key.id,
        caBundle: o.database.caBundle,
        imClientsClass: o.cluster.loadBalancer.imClients?.loadBalancerClass,
        imClientsAnnotations: pulumi.output(o.cluster.loadBalancer.imClients?.annotations ?? {}),
        publicSubnetIds: pulumi.all(o.network.publicSubnetIds),
      };
    },
    {
      project: "warbler",
      stack: "alicloud",
      region: "eu-central-1",
      accountId: "123456789012",
      subscriptionId: "unused",
    },
    recordingMocks,
  );
  resources = recorded.resources;
  outputs = recorded.outputs;
});

const ofType = (type: string) => resources.filter((r) => r.type === `alicloud:${type}`);
const one = (type: string) => {
  const found = ofType(type);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0];
};
const keyId = () => one("kms/key:Key").id;
const named = (type: string, name: string) => {
  const found = ofType(type).find((r) => r.name === name);
  assert.ok(found, `no ${type} named ${name}`);
  return found;
};
const fileBucket = () => named("oss/bucket:Bucket", "warbler-alicloud-bucket-bucket");
const logBucket = () => named("oss/bucket:Bucket", "warbler-alicloud-bucket-logs");
/** The companion of `type` (ACL, public access block, ...) attached to the bucket with this name. */
const attachedTo = (type: string, bucket: unknown) => {
  const found = ofType(type).filter((r) => r.inputs.bucket === bucket);
  assert.equal(found.length, 1, `expected one ${type} on ${String(bucket)}, found ${found.length}`);
  return found[0];
};

test("one explicit alicloud provider in the stack's region serves every resource (no default provider)", () => {
  const providers = resources.filter((r) => r.type === "pulumi:providers:alicloud");
  assert.equal(providers.length, 1);
  assert.equal(providers[0].name, "warbler-alicloud-provider");
  assert.equal(providers[0].inputs.region, "eu-central-1");
  const alicloudResources = resources.filter((r) => r.custom && r.type.startsWith("alicloud:"));
  assert.ok(alicloudResources.length > 40);
  for (const r of alicloudResources)
    assert.equal(r.provider, providers[0].urn, `${r.name} uses provider '${r.provider}'`);
  for (const r of resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) {
    assert.match(r.provider, /::warbler-alicloud-cluster-k8s$/, `${r.name} uses the cluster's provider`);
  }
});

test("the key is AES-256, rotated yearly, deletion-protected with a 30-day pending window", () => {
  const key = one("kms/key:Key");
  assert.equal(key.inputs.keySpec, "Aliyun_AES_256");
  assert.equal(key.inputs.automaticRotation, "Enabled");
  assert.equal(key.inputs.rotationInterval, "365d");
  assert.equal(key.inputs.deletionProtection, "Enabled");
  assert.equal(key.inputs.pendingWindowInDays, 30);
  assert.equal(key.inputs.status, "Enabled");
  assert.equal(one("kms/alias:Alias").inputs.keyId, key.id);
  assert.match(String(one("kms/alias:Alias").inputs.aliasName), /^alias\/warbler-alicloud-data$/);
});

test("vSwitches follow the shared subnet plan: one per tier per zone, the gateway block left free", () => {
  const plan = planZoneSubnets(config.network.cidr, 3);
  const vswitches = ofType("vpc/switch:Switch");
  assert.equal(vswitches.length, 9);
  const vpc = one("vpc/network:Network");
  assert.equal(vpc.inputs.cidrBlock, "10.40.0.0/16");
  for (const tier of ["private", "database", "public"] as const) {
    plan.forEach((p, i) => {
      const vsw = vswitches.find((v) => v.name === `warbler-alicloud-network-${tier}-${zones[i]}`);
      assert.ok(vsw, `${tier} vSwitch in ${zones[i]}`);
      assert.equal(vsw.inputs.cidrBlock, p[tier]);
      assert.equal(vsw.inputs.zoneId, zones[i]);
      assert.equal(vsw.inputs.vpcId, vpc.id);
    });
  }
  assert.ok(!vswitches.some((v) => v.inputs.cidrBlock === planGatewaySubnet(config.network.cidr)));
});

test("an enhanced NAT gateway in a public vSwitch gives egress to the private vSwitches only", () => {
  const nat = one("vpc/natGateway:NatGateway");
  assert.equal(nat.inputs.natType, "Enhanced");
  const publicIds = ofType("vpc/switch:Switch")
    .filter((v) => v.name.includes("-public-"))
    .map((v) => v.id);
  assert.ok(publicIds.includes(String(nat.inputs.vswitchId)));
  const privateIds = ofType("vpc/switch:Switch")
    .filter((v) => v.name.includes("-private-"))
    .map((v) => v.id)
    .sort();
  const snat = ofType("vpc/snatEntry:SnatEntry");
  assert.deepEqual(snat.map((s) => s.inputs.sourceVswitchId).sort(), privateIds);
  assert.ok(snat.every((s) => s.inputs.snatIp === one("ecs/eipAddress:EipAddress").outputs.ipAddress));
  assert.equal(one("ecs/eipAssociation:EipAssociation").inputs.instanceId, nat.id);
});

test("the database security group admits only PostgreSQL, and only from the private vSwitches", () => {
  const dbGroup = ofType("ecs/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-database"))!;
  const rules = ofType("ecs/securityGroupRule:SecurityGroupRule").filter(
    (r) => r.inputs.securityGroupId === dbGroup.id,
  );
  assert.equal(rules.length, 3);
  const privateCidrs = planZoneSubnets(config.network.cidr, 3)
    .map((p) => p.private)
    .sort();
  assert.deepEqual(rules.map((r) => r.inputs.cidrIp).sort(), privateCidrs);
  assert.ok(
    rules.every(
      (r) => r.inputs.type === "ingress" && r.inputs.ipProtocol === "tcp" && r.inputs.portRange === "5432/5432",
    ),
  );
});

test("the cluster is ACK Pro at the pinned release with a private endpoint only", () => {
  const ack = one("cs/managedKubernetes:ManagedKubernetes");
  assert.equal(ack.inputs.clusterSpec, "ack.pro.small");
  assert.equal(ack.inputs.version, "1.36.2-aliyun.1");
  assert.equal(ack.inputs.slbInternetEnabled, false);
  assert.equal(ack.inputs.newNatGateway, false);
  const privateIds = ofType("vpc/switch:Switch")
    .filter((v) => v.name.includes("-private-"))
    .map((v) => v.id);
  assert.deepEqual(ack.inputs.vswitchIds, privateIds);
  assert.equal(ack.inputs.serviceCidr, config.cluster.serviceCidr);
});

test("Kubernetes Secrets are encrypted with the stack key", () => {
  const ack = one("cs/managedKubernetes:ManagedKubernetes");
  assert.equal(ack.inputs.encryptionProviderKey, keyId());
  assert.equal(ack.inputs.disableEncryption, false);
});

test("control-plane and audit logs go to the stack's SLS project for the configured days", () => {
  const ack = one("cs/managedKubernetes:ManagedKubernetes");
  const project = one("log/project:Project");
  assert.deepEqual(ack.inputs.auditLogConfig, { enabled: true, slsProjectName: project.inputs.projectName });
  assert.equal(ack.inputs.controlPlaneLogProject, project.inputs.projectName);
  assert.deepEqual(ack.inputs.controlPlaneLogComponents, ["apiserver", "kcm", "scheduler", "ccm"]);
  assert.equal(ack.inputs.controlPlaneLogTtl, String(config.cluster.auditLogRetentionDays));
});

test("RRSA is on and the NetworkPolicy-enforcing Terway plugin is installed", () => {
  const ack = one("cs/managedKubernetes:ManagedKubernetes");
  assert.equal(ack.inputs.enableRrsa, true);
  const addons = ack.inputs.addons as { name: string; config?: string; disabled?: boolean }[];
  const terway = addons.find((a) => a.name === "terway-eniip");
  assert.equal(JSON.parse(String(terway?.config)).NetworkPolicy, "true");
  assert.ok(addons.some((a) => a.name === "ack-pod-identity-webhook" && !a.disabled));
});

test("node pools autoscale between the configured bounds over every zone, on the size's instance type", () => {
  const pools = ofType("cs/nodePool:NodePool").filter(
    (p) => !["system", "ejabberd"].includes(String(p.inputs.nodePoolName)),
  );
  assert.equal(pools.length, config.cluster.nodePools.length);
  const [pool] = pools;
  const [spec] = config.cluster.nodePools;
  assert.deepEqual(pool.inputs.scalingConfig, { enable: true, minSize: spec.min, maxSize: spec.max, type: "cpu" });
  assert.deepEqual(pool.inputs.instanceTypes, ["ecs.g7.2xlarge"]);
  assert.equal(pool.inputs.multiAzPolicy, "BALANCE");
  assert.equal((pool.inputs.vswitchIds as string[]).length, 3);
  assert.equal(pool.inputs.clusterId, one("cs/managedKubernetes:ManagedKubernetes").id);
});

test("node system and data disks are encrypted with the stack key, and nodes are hardened", () => {
  const [pool] = ofType("cs/nodePool:NodePool");
  assert.equal(pool.inputs.systemDiskEncrypted, true);
  assert.equal(pool.inputs.systemDiskKmsKey, keyId());
  const disks = pool.inputs.dataDisks as { encrypted: string; kmsKeyId: string }[];
  assert.ok(disks.length > 0);
  assert.ok(disks.every((d) => d.encrypted === "true" && d.kmsKeyId === keyId()));
  assert.equal(pool.inputs.securityHardeningOs, true);
  assert.deepEqual(pool.inputs.instanceMetadataOptions, { httpTokens: "required" });
  // preUserData runs before ACK initializes the node (cs/nodePool.d.ts, "executed before the node is initialized");
  // userData runs after, while the node may already take pods (ACK "Introduction to node initialization").
  assert.match(Buffer.from(String(pool.inputs.preUserData), "base64").toString(), /fs\.file-max = 4194304/);
  assert.equal(pool.inputs.userData, undefined);
});

test("the database disks are encrypted with the stack key through a role scoped to that key", () => {
  const pg = one("rds/instance:Instance");
  assert.equal(pg.inputs.encryptionKey, keyId());
  const role = ofType("ram/role:Role").find((r) => r.inputs.roleName === "warbler-alicloud-rds-kms")!;
  assert.equal(pg.inputs.roleArn, role.outputs.arn);
  assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicyDocument)).Statement[0].Principal, {
    Service: ["rds.aliyuncs.com"],
  });
  const policy = ofType("ram/policy:Policy").find((p) => p.inputs.policyName === "warbler-alicloud-rds-kms")!;
  const resourcesGranted = JSON.parse(String(policy.inputs.policyDocument)).Statement.flatMap(
    (s: { Resource: string[] }) => s.Resource,
  );
  assert.deepEqual(resourcesGranted, [`acs:kms:eu-central-1:*:key/${keyId()}`]);
});

test("the database requires TLS and is reachable only from the VPC", () => {
  const pg = one("rds/instance:Instance");
  assert.equal(pg.inputs.sslAction, "Open");
  // A cloud certificate, which RDS renews itself before its 365 days run out ("Certificate renewal",
  // configure-ssl-encryption-for-an-apsaradb-rds-for-postgresql-instance): no renewal job of ours to run.
  assert.equal(pg.inputs.caType, "aliyun");
  const hba = pg.inputs.pgHbaConfs as { type: string; method: string; address: string; priorityId: number }[];
  assert.ok(
    hba.some((r) => r.type === "hostnossl" && r.method === "reject" && r.address === "0.0.0.0/0" && r.priorityId === 0),
  );
  assert.ok(
    hba.filter((r) => r.method !== "reject").every((r) => r.type === "hostssl" && r.address === config.network.cidr),
  );
  assert.deepEqual(pg.inputs.securityIps, [config.network.cidr]);
  assert.ok(
    !resources.some(
      (r) =>
        r.type === "alicloud:rds/connection:Connection" ||
        r.type === "alicloud:rds/dbInstanceEndpointAddress:DbInstanceEndpointAddress",
    ),
  );
  // Unset, so the provider certifies the instance's own connection string (resource_alicloud_db_instance.go).
  assert.equal(pg.inputs.sslConnectionString, undefined);
});

test("the database is high-availability across two zones, in the database vSwitches, at the configured size", () => {
  const pg = one("rds/instance:Instance");
  assert.equal(pg.inputs.category, "HighAvailability");
  assert.equal(pg.inputs.instanceType, "pg.x4.large.2c");
  assert.equal(pg.inputs.zoneId, "eu-central-1a");
  assert.equal(pg.inputs.zoneIdSlaveA, "eu-central-1b");
  const dbIds = ofType("vpc/switch:Switch")
    .filter((v) => v.name.includes("-database-"))
    .map((v) => v.id);
  assert.equal(pg.inputs.vswitchId, `${dbIds[0]},${dbIds[1]}`);
  assert.equal(pg.inputs.engineVersion, "16.0");
  assert.equal(pg.inputs.instanceStorage, config.database.storageGb);
  assert.equal(pg.inputs.dbInstanceStorageType, "cloud_essd");
});

test("backups, log backups, deletion protection and SQL audit follow the config", () => {
  const pg = one("rds/instance:Instance");
  assert.equal(pg.inputs.deletionProtection, true);
  assert.equal(pg.inputs.sqlCollectorStatus, "Enabled");
  const backup = one("rds/backupPolicy:BackupPolicy");
  assert.equal(backup.inputs.instanceId, pg.id);
  assert.equal(backup.inputs.backupRetentionPeriod, config.database.backupRetentionDays);
  assert.equal(backup.inputs.enableBackupLog, true);
  assert.equal(backup.inputs.logBackupRetentionPeriod, config.database.backupRetentionDays);
});

test("the admin password is generated and stays secret in inputs and outputs", () => {
  assert.equal(one("rds/rdsAccount:RdsAccount").inputs.accountPassword, "[secret]");
  assert.equal(outputs.password, "[secret]");
  assert.equal(outputs.kubeconfig, "[secret]");
  assert.equal(outputs.port, 5432);
});

test("the bucket is SSE-KMS with the stack key, versioned, with lifecycle rules from config", () => {
  const bucket = fileBucket();
  assert.deepEqual(bucket.inputs.serverSideEncryptionRule, { sseAlgorithm: "KMS", kmsMasterKeyId: keyId() });
  assert.deepEqual(bucket.inputs.versioning, { status: "Enabled" });
  const rules = bucket.inputs.lifecycleRules as { id: string; noncurrentVersionExpirations?: { days: number }[] }[];
  assert.deepEqual(rules.find((r) => r.id === "noncurrent-versions")?.noncurrentVersionExpirations, [
    { days: config.storage.noncurrentVersionDays },
  ]);
  assert.match(String(bucket.inputs.bucket), /^warbler-alicloud-files-[0-9a-f]{8}$/);
});

for (const [which, bucket] of [
  ["file", fileBucket],
  ["access-log", logBucket],
] as const) {
  test(`the ${which} bucket is private, blocks public access and accepts only HTTPS`, () => {
    const name = bucket().inputs.bucket;
    assert.deepEqual(attachedTo("oss/bucketAcl:BucketAcl", name).inputs, { bucket: name, acl: "private" });
    assert.deepEqual(attachedTo("oss/bucketPublicAccessBlock:BucketPublicAccessBlock", name).inputs, {
      bucket: name,
      blockPublicAccess: true,
    });
    const https = attachedTo("oss/bucketHttpsConfig:BucketHttpsConfig", name);
    assert.equal(https.inputs.enable, true);
    assert.deepEqual(https.inputs.tlsVersions, ["TLSv1.2", "TLSv1.3"]);
    const policy = JSON.parse(String(attachedTo("oss/bucketPolicy:BucketPolicy", name).inputs.policy));
    assert.deepEqual(policy.Statement[0].Condition, { Bool: { "acs:SecureTransport": ["false"] } });
    assert.equal(policy.Statement[0].Effect, "Deny");
    assert.deepEqual(policy.Statement[0].Resource, [`acs:oss:*:*:${String(name)}`, `acs:oss:*:*:${String(name)}/*`]);
  });
}

test(
  "the file bucket's access logs go to the log bucket, which is KMS-encrypted with the stack key, versioned and " +
    "expires logs",
  () => {
    const logging = one("oss/bucketLogging:BucketLogging");
    assert.equal(logging.inputs.bucket, fileBucket().inputs.bucket);
    assert.equal(logging.inputs.targetBucket, logBucket().inputs.bucket);
    assert.notEqual(logging.inputs.targetBucket, logging.inputs.bucket);
    assert.equal(logging.inputs.targetPrefix, "oss-access/");
    const log = logBucket();
    assert.match(String(log.inputs.bucket), /^warbler-alicloud-files-[0-9a-f]{8}-logs-[0-9a-f]{8}$/);
    assert.deepEqual(log.inputs.serverSideEncryptionRule, { sseAlgorithm: "KMS", kmsMasterKeyId: keyId() });
    assert.deepEqual(log.inputs.versioning, { status: "Enabled" });
    assert.deepEqual(log.inputs.lifecycleRules, [
      {
        id: "expire-access-logs",
        prefix: "oss-access/",
        enabled: true,
        expirations: [{ days: 365 }],
        noncurrentVersionExpirations: [{ days: 365 }],
        abortMultipartUploads: [{ days: 7 }],
      },
    ]);
  },
);

test("OSS writes the access logs through a role that may only add log objects and use the stack key", () => {
  const logging = one("oss/bucketLogging:BucketLogging");
  const role = ofType("ram/role:Role").find((r) => r.inputs.roleName === logging.inputs.loggingRole)!;
  assert.ok(role, "the logging role is not created by the stack");
  assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicyDocument)).Statement[0].Principal, {
    Service: ["oss.aliyuncs.com"],
  });
  const attachment = ofType("ram/rolePolicyAttachment:RolePolicyAttachment").find(
    (a) => a.inputs.roleName === role.inputs.roleName,
  )!;
  const policy = ofType("ram/policy:Policy").find((p) => p.inputs.policyName === attachment.inputs.policyName)!;
  const statements = JSON.parse(String(policy.inputs.policyDocument)).Statement as {
    Action: string[];
    Resource: string[];
  }[];
  assert.deepEqual(statements, [
    {
      Effect: "Allow",
      Action: ["oss:PutObject"],
      Resource: [`acs:oss:*:*:${String(logBucket().inputs.bucket)}/oss-access/*`],
    },
    {
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"],
      Resource: [`acs:kms:eu-central-1:*:key/${keyId()}`],
    },
  ]);
  assert.ok(logging.dependencies.includes(attachment.urn), "logging is switched on before the role may write");
});

test(
  "the VPC's flow log records all traffic into an encrypted logstore of the stack's SLS project, kept for the " +
    "audit-log retention",
  () => {
    const flowLog = one("vpc/flowLog:FlowLog");
    const vpc = one("vpc/network:Network");
    assert.equal(flowLog.inputs.resourceType, "VPC");
    assert.equal(flowLog.inputs.resourceId, vpc.id);
    assert.equal(flowLog.inputs.trafficType, "All");
    assert.equal(flowLog.inputs.status, "Active");
    const store = one("log/store:Store");
    const project = one("log/project:Project");
    assert.equal(store.inputs.projectName, project.inputs.projectName);
    assert.equal(flowLog.inputs.projectName, project.inputs.projectName);
    assert.equal(flowLog.inputs.logStoreName, store.inputs.logstoreName);
    assert.equal(store.inputs.retentionPeriod, config.cluster.auditLogRetentionDays);
    assert.deepEqual(store.inputs.encryptConf, { enable: true, encryptType: "default" });
  },
);

test("the database logs connections and disconnections", () => {
  const params = one("rds/instance:Instance").inputs.parameters as { name: string; value: string }[];
  assert.deepEqual(params, [
    { name: "log_connections", value: "on" },
    { name: "log_disconnections", value: "on" },
    { name: "log_duration", value: "on" },
  ]);
});

test("the workload role trusts only the upload service's ServiceAccount via the cluster's OIDC provider", () => {
  const ack = one("cs/managedKubernetes:ManagedKubernetes");
  const role = ofType("ram/role:Role").find((r) => r.inputs.roleName === "warbler-alicloud-im-workload")!;
  const trust = JSON.parse(String(role.inputs.assumeRolePolicyDocument)).Statement[0];
  const rrsa = ack.outputs.rrsaMetadata as { ramOidcProviderArn: string; rrsaOidcIssuerUrl: string };
  assert.deepEqual(trust.Principal.Federated, [rrsa.ramOidcProviderArn]);
  assert.equal(
    trust.Condition.StringEquals["oidc:sub"],
    `system:serviceaccount:${imWorkload.namespace}:${imWorkload.serviceAccount}`,
  );
  assert.equal(imWorkload.serviceAccount, "warbler-upload", "the bucket identity belongs to the upload service");
  assert.equal(trust.Condition.StringEquals["oidc:iss"], rrsa.rrsaOidcIssuerUrl);
  assert.equal(outputs.saAnnotations, "warbler-alicloud-im-workload");
  const attachment = ofType("ram/rolePolicyAttachment:RolePolicyAttachment").find(
    (a) => a.inputs.roleName === role.inputs.roleName,
  )!;
  const policy = ofType("ram/policy:Policy").find((p) => p.inputs.policyName === attachment.inputs.policyName)!;
  const granted = JSON.parse(String(policy.inputs.policyDocument)).Statement.flatMap(
    (s: { Resource: string[] }) => s.Resource,
  );
  const bucket = fileBucket().inputs.bucket;
  assert.deepEqual(
    granted.sort(),
    [`acs:kms:eu-central-1:*:key/${keyId()}`, `acs:oss:*:*:${bucket}`, `acs:oss:*:*:${bucket}/*`].sort(),
  );
});

test("the default StorageClass provisions ESSD volumes encrypted with the stack key", () => {
  const sc = resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")!;
  const metadata = sc.inputs.metadata as { name: string; annotations: Record<string, string> };
  assert.equal(metadata.name, outputs.storageClassName);
  assert.equal(metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
  assert.equal(sc.inputs.provisioner, "diskplugin.csi.alibabacloud.com");
  assert.deepEqual(sc.inputs.parameters, {
    type: "cloud_essd",
    performanceLevel: "PL1",
    fstype: "ext4",
    encrypted: "true",
    kmsKeyId: keyId(),
  });
  assert.equal(sc.inputs.volumeBindingMode, "WaitForFirstConsumer");
});

test("every taggable resource carries the standard tags", () => {
  const taggable = resources.filter((r) => r.custom && r.type.startsWith("alicloud:") && "tags" in r.inputs);
  assert.ok(taggable.length >= 20, `only ${taggable.length} tagged resources`);
  for (const r of taggable) {
    const tags = r.inputs.tags as Record<string, string>;
    assert.equal(tags.owner, "im-platform-team", r.urn);
    assert.equal(tags["data-classification"], "confidential", r.urn);
    assert.equal(tags["managed-by"], "warbler", r.urn);
  }
  const untaggedTypes = new Set(
    resources.filter((r) => r.custom && r.type.startsWith("alicloud:") && !("tags" in r.inputs)).map((r) => r.type),
  );
  // These Alibaba Cloud types have no tags argument in the provider.
  assert.deepEqual([...untaggedTypes].sort(), [
    "alicloud:cs/autoscalingConfig:AutoscalingConfig",
    "alicloud:ecs/eipAssociation:EipAssociation",
    "alicloud:ecs/securityGroupRule:SecurityGroupRule",
    "alicloud:kms/alias:Alias",
    "alicloud:log/store:Store",
    "alicloud:oss/bucketAcl:BucketAcl",
    "alicloud:oss/bucketHttpsConfig:BucketHttpsConfig",
    "alicloud:oss/bucketLogging:BucketLogging",
    "alicloud:oss/bucketPolicy:BucketPolicy",
    "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
    "alicloud:rds/backupPolicy:BackupPolicy",
    "alicloud:rds/database:Database",
    "alicloud:rds/rdsAccount:RdsAccount",
    "alicloud:vpc/snatEntry:SnatEntry",
  ]);
});

test("the platform outputs name the zones, the private database host and the regional internal OSS endpoint", () => {
  assert.deepEqual(outputs.zones, zones);
  assert.match(String(outputs.host), /^warbler-alicloud-pg-[0-9a-f]{8}\.pgsql\.germany\.rds\.aliyuncs\.com$/);
  // Pods reach OSS's S3-compatible API over the VPC's internal endpoint:
  // https://www.alibabacloud.com/help/en/oss/developer-reference/use-amazon-s3-sdks-to-access-oss
  assert.equal(outputs.bucketEndpoint, "https://s3.oss-eu-central-1-internal.aliyuncs.com");
  assert.equal(outputs.keyId, keyId());
});

test(
  "without warbler:database.caBundle the database CA bundle is empty, so verify-full fails closed instead of " +
    "trusting anything",
  () => {
    assert.equal(config.database.caBundle, undefined);
    assert.equal(outputs.caBundle, "");
  },
);

test("the database is created after its admin account, so the admin can own it and its public schema", () => {
  const account = one("rds/rdsAccount:RdsAccount");
  assert.ok(one("rds/database:Database").dependencies.includes(account.urn));
});

// The rewrite to the private endpoint is privateKubeconfig's (first-deploy.test.ts); here: the pieces it uses exist.
test("the kubeconfig stays secret, and the cluster reports the private endpoint the kubeconfig is pointed at", () => {
  const ack = one("cs/managedKubernetes:ManagedKubernetes");
  const intranet = (ack.outputs.connections as { apiServerIntranet: string }).apiServerIntranet;
  const k8s = resources.find((r) => r.type === "pulumi:providers:kubernetes");
  assert.ok(k8s);
  assert.equal(k8s.inputs.kubeconfig, "[secret]");
  assert.equal(outputs.kubeconfig, "[secret]");
  assert.equal(ack.inputs.slbInternetEnabled, false);
  assert.match(intranet, /^https:\/\/10\.\d+\.\d+\.\d+:6443$/);
});

test("every client listener's pod port is open in the node group, from clients and from CLB health checks", () => {
  const rules = ofType("ecs/securityGroupRule:SecurityGroupRule").filter((r) =>
    ["0.0.0.0/0", "100.64.0.0/10"].includes(String(r.inputs.cidrIp)),
  );
  const open = rules.map((r) => `${r.inputs.ipProtocol}:${r.inputs.portRange}:${r.inputs.cidrIp}`).sort();
  const { from, to } = config.im.turnRelayPorts;
  const expected = ["tcp:10443/10443", "tcp:5222/5223", "tcp:5349/5349", "udp:3478/3478", `udp:${from}/${to}`];
  assert.deepEqual(open, expected.flatMap((p) => [`${p}:0.0.0.0/0`, `${p}:100.64.0.0/10`]).sort());
  const nodes = ofType("ecs/securityGroup:SecurityGroup").find((g) => g.inputs.description === "Warbler cluster nodes");
  for (const r of rules) assert.equal(r.inputs.securityGroupId, nodes?.id);
});

test("a fixed system pool and the cluster autoscaler's settings sit beside the autoscaling IM pools", () => {
  const system = ofType("cs/nodePool:NodePool").find((p) => p.inputs.nodePoolName === "system");
  assert.ok(system);
  assert.equal(system.inputs.scalingConfig, undefined);
  assert.equal(system.inputs.desiredSize, "3");
  const autoscaler = one("cs/autoscalingConfig:AutoscalingConfig");
  assert.equal(autoscaler.inputs.clusterId, one("cs/managedKubernetes:ManagedKubernetes").id);
  assert.equal(autoscaler.inputs.expander, "least-waste");
});

// OSS zone-redundant storage: https://www.alibabacloud.com/help/en/oss/user-guide/zrs (set at creation only).
test("both buckets are zone-redundant", () => {
  for (const b of ofType("oss/bucket:Bucket")) assert.equal(b.inputs.redundancyType, "ZRS", b.name);
});

test("the stack key is the region's default key, named for its stack, unless a KMS instance is configured", () => {
  const key = one("kms/key:Key");
  assert.equal(key.inputs.dkmsInstanceId, undefined);
  assert.equal(
    key.inputs.description,
    "Warbler data key, region default key of warbler-alicloud: " +
      "Kubernetes Secrets, node and database disks, file storage",
  );
});

// Each service data source opens its service with enable "On" (@pulumi/alicloud cs/getAckService.d.ts: type
// "propayasgo" is ACK Pro, which clusterSpec ack.pro.small needs; kms, log, oss and vpc flow-log getService).
test("the stack opens ACK Pro, KMS, Log Service, OSS and VPC flow logs through the service data sources", () => {
  const opened = invokes
    .filter((i) => /get(Ack|FlowLog)?Service$/.test(i.token))
    .map((i) => `${i.token.split(":")[1]}:${i.inputs.enable}${i.inputs.type ? `:${i.inputs.type}` : ""}`)
    .sort();
  assert.deepEqual(opened, [
    "cs/getAckService:On:propayasgo",
    "kms/getService:On",
    "log/getService:On",
    "oss/getService:On",
    "vpc/getFlowLogService:On",
  ]);
});

test("the credential is asked for a 180-minute kubeconfig, and the default-key guard looks for neighbours", () => {
  const credential = invokes.find((i) => i.token === "alicloud:cs/getClusterCredential:getClusterCredential");
  assert.equal(credential?.inputs.temporaryDurationMinutes, 180);
  assert.equal(credential?.inputs.clusterId, one("cs/managedKubernetes:ManagedKubernetes").id);
  const keys = invokes.find((i) => i.token === "alicloud:kms/getKeys:getKeys");
  assert.deepEqual(keys?.inputs, { descriptionRegex: "^Warbler data key, region default key of ", status: "Enabled" });
});

// The example stack runs 3 instances of 1,000,000 sessions (config/im.ts defaults): each needs 1,000,000 connections
// on its node, which only ecs.r7.16xlarge and larger allow (sizes.ts, r7 table), and 3,000,000 in all, more than one
// CLB holds (load-balancer.ts), so the client Service goes on an NLB.
test("a dedicated ejabberd pool holds one node per instance, on the r7 type whose connections hold it", () => {
  const pool = named("cs/nodePool:NodePool", "warbler-alicloud-cluster-pool-ejabberd");
  assert.deepEqual(pool.inputs.instanceTypes, ["ecs.r7.16xlarge"]);
  assert.deepEqual(pool.inputs.scalingConfig, { enable: true, minSize: 3, maxSize: 4, type: "cpu" });
  assert.deepEqual(pool.inputs.taints, [{ key: "warbler.io/dedicated", value: "ejabberd", effect: "NoSchedule" }]);
  assert.deepEqual(pool.inputs.labels, [{ key: "warbler.io/pool", value: "ejabberd" }]);
  assert.deepEqual(pool.inputs.containerdConfig, { limitNoFile: "2097152" });
  assert.equal(pool.inputs.systemDiskKmsKey, keyId());
  assert.equal(pool.inputs.clusterId, one("cs/managedKubernetes:ManagedKubernetes").id);
  const nodes = ofType("ecs/securityGroup:SecurityGroup").find((g) => g.inputs.description === "Warbler cluster nodes");
  assert.deepEqual(pool.inputs.securityGroupIds, [nodes?.id]);
});

test("the ejabberd client Service goes on an NLB over the three zones' public vSwitches", () => {
  assert.equal(outputs.imClientsClass, "alibabacloud.com/nlb");
  const annotations = outputs.imClientsAnnotations as Record<string, string>;
  const ids = outputs.publicSubnetIds as string[];
  assert.equal(ids.length, 3);
  assert.equal(
    annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-zone-maps"],
    zones.map((z, i) => `${z}:${ids[i]}`).join(","),
  );
  assert.ok(ids.every((id) => id.startsWith("vsw-")));
});
