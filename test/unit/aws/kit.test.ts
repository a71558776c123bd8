import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { before, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AwsKit } from "../../../components/aws/kit";
import { bucketName, clusterName } from "../../../components/aws/naming";
import { NODEADM_CONTENT_TYPE } from "../../../components/aws/node-pool";
import { imNodeSizes } from "../../../components/aws/sizes";
import { eksAddonVersions } from "../../../components/aws/versions";
import { imWorkload } from "../../../components/contract";
import { kitDescriptors } from "../../../components/kits";
import { imReplicas, imSizingFor } from "../../../config/im";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { planZoneSubnets } from "../../../lib/cidr";
import { imMaxOpenFiles, imNodePool, shapeKey } from "../../../lib/im-sizing";
import { imNodeSysctls } from "../../../lib/node-tuning";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

const config = loadConfig(readStackFile("aws").config, { cloudRules: kitDescriptors }) as PlatformConfig;
const zones = ["eu-central-1a", "eu-central-1b", "eu-central-1c"];
const cluster = clusterName({ name: config.name, stack: "aws", region: config.region });
let resources: PlannedResource[] = [];
let outputs: Record<string, unknown> = {};

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
const statements = (policy: unknown): Statement[] =>
  (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;

before(async () => {
  const recorded = await recordProgram(
    () => {
      const o = new AwsKit("warbler-aws", { config, stack: "aws" }).outputs;
      return {
        kubeconfig: o.cluster.kubeconfig,
        password: o.database.password,
        host: o.database.host,
        port: o.database.port,
        caBundle: o.database.caBundle,
        sslMode: o.database.sslMode,
        bucketName: o.bucket.name,
        bucketEndpoint: o.bucket.endpoint,
        imRoleAnnotation: o.cluster.imIdentity.serviceAccountAnnotations["eks.amazonaws.com/role-arn"],
        identityKind: o.cluster.imIdentity.kind,
        tcpAnnotations: o.cluster.loadBalancer.tcpAnnotations,
        udpAnnotations: o.cluster.loadBalancer.udpAnnotations,
        storageClassName: o.cluster.storageClassName,
        zones: o.network.zones,
        keyId: o.key.id,
        privateSubnetIds: pulumi.all(o.network.privateSubnetIds),
      };
    },
    { project: "warbler", stack: "aws", region: config.region, accountId: "123456789012", subscriptionId: "unused" },
    providerMocks,
  );
  resources = recorded.resources;
  outputs = recorded.outputs;
});

const ofType = (type: string) => resources.filter((r) => r.type === type);
const one = (type: string, name?: string) => {
  const found = ofType(type).filter((r) => name === undefined || r.name === name);
  assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
  return found[0];
};
const keyArn = () => one("aws:kms/key:Key").outputs.arn;
const roleFor = (serviceAccount: string) =>
  ofType("aws:iam/role:Role").find((r) =>
    statements(r.inputs.assumeRolePolicy).some((s) =>
      JSON.stringify(s.Condition ?? {}).includes(`:${serviceAccount}"`),
    ),
  );
const inlinePolicyOf = (role: PlannedResource) =>
  ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === role.id);

/** IMDSv2 only, with one hop: pods cannot borrow the node's role (they use IRSA). */
function assertImdsV2OneHop(template: { inputs: Record<string, unknown> }): void {
  assert.deepEqual(template.inputs.metadataOptions, {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
  });
}

test("one explicit aws provider in the stack's region carries every AWS resource", () => {
  const provider = one("pulumi:providers:aws");
  assert.equal(provider.name, "warbler-aws-provider");
  assert.equal(provider.inputs.region, "eu-central-1");
  const awsResources = resources.filter((r) => r.type.startsWith("aws:"));
  assert.ok(awsResources.length > 50);
  for (const r of awsResources) assert.equal(r.provider, provider.urn, `${r.name} uses provider '${r.provider}'`);
  const kubernetesResources = resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"));
  assert.ok(kubernetesResources.length > 0, "the kit creates Kubernetes resources");
  for (const r of kubernetesResources) {
    assert.match(r.provider, /::warbler-aws-cluster-k8s$/, `${r.name} uses the cluster's provider`);
  }
});

test("every child is parented under the kit and named after its parent", () => {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  for (const r of resources) {
    if (r.type === "warbler:aws:Kit") {
      assert.equal(r.name, "warbler-aws");
      continue;
    }
    const parent = byUrn.get(r.parent);
    assert.ok(parent, `${r.name} has a recorded parent`);
    assert.ok(r.name.startsWith(`${parent.name}-`), `${r.name} is named after ${parent.name}`);
  }
});

test(
  "the key is a rotated, deletion-protected AES-256 CMK whose policy names only the account, CloudWatch Logs, " +
    "S3 access logging and Auto Scaling",
  () => {
    const key = one("aws:kms/key:Key");
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(key.inputs.rotationPeriodInDays, 365);
    assert.equal(key.inputs.deletionWindowInDays, 30);
    assert.equal(key.inputs.customerMasterKeySpec, "SYMMETRIC_DEFAULT");
    assert.equal(key.inputs.keyUsage, "ENCRYPT_DECRYPT");
    const policy = statements(key.inputs.policy);
    const principals = policy.map((s) => JSON.stringify(s.Principal));
    assert.deepEqual(principals, [
      '{"AWS":"arn:aws:iam::123456789012:root"}',
      '{"Service":"logs.eu-central-1.amazonaws.com"}',
      '{"Service":"logging.s3.amazonaws.com"}',
      '{"AWS":"arn:aws:iam::123456789012:role/aws-service-role/' +
        'autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"}',
      '{"AWS":"arn:aws:iam::123456789012:role/aws-service-role/' +
        'autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"}',
    ]);
    assert.ok(policy.every((s) => s.Effect === "Allow"));
    assert.deepEqual(policy[1].Condition, {
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-central-1:123456789012:log-group:*" },
    });
    assert.deepEqual(policy[2].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    assert.ok(
      !policy.slice(1).some((s) => JSON.stringify(s.Action).includes("kms:*")),
      "only the root statement administers the key",
    );
    assert.equal(one("aws:kms/alias:Alias").inputs.targetKeyId, key.outputs.keyId);
    assert.equal(outputs.keyId, keyArn());
  },
);

test("subnets follow the shared plan: private, database and public per zone, none assigning public IPs", () => {
  const plan = planZoneSubnets(config.network.cidr, 3);
  const vpc = one("aws:ec2/vpc:Vpc");
  assert.equal(vpc.inputs.cidrBlock, "10.20.0.0/16");
  assert.equal(ofType("aws:ec2/subnet:Subnet").length, 9);
  for (const tier of ["private", "database", "public"] as const) {
    plan.forEach((p, i) => {
      const subnet = one("aws:ec2/subnet:Subnet", `warbler-aws-network-${tier}-${i}`);
      assert.equal(subnet.inputs.cidrBlock, p[tier]);
      assert.equal(subnet.inputs.availabilityZone, zones[i]);
      assert.equal(subnet.inputs.vpcId, vpc.id);
      assert.equal(subnet.inputs.mapPublicIpOnLaunch, false);
    });
  }
  assert.deepEqual(outputs.zones, zones);
  const tagsOf = (name: string) => one("aws:ec2/subnet:Subnet", name).inputs.tags as Record<string, string>;
  assert.equal(
    tagsOf("warbler-aws-network-public-0")["kubernetes.io/role/elb"],
    "1",
    "load balancers go to public subnets",
  );
  assert.equal(tagsOf("warbler-aws-network-private-0")["kubernetes.io/role/internal-elb"], "1");
  assert.equal(tagsOf("warbler-aws-network-database-0")["kubernetes.io/role/elb"], undefined);
});

test(
  "each zone's private subnet egresses through its own zone's " + "NAT gateway; database subnets have no route out",
  () => {
    const routes = ofType("aws:ec2/route:Route");
    const associations = ofType("aws:ec2/routeTableAssociation:RouteTableAssociation");
    zones.forEach((_, i) => {
      const nat = one("aws:ec2/natGateway:NatGateway", `warbler-aws-network-nat-${i}`);
      assert.equal(nat.inputs.subnetId, one("aws:ec2/subnet:Subnet", `warbler-aws-network-public-${i}`).id);
      const table = one("aws:ec2/routeTable:RouteTable", `warbler-aws-network-private-rt-${i}`);
      const route = routes.find((r) => r.inputs.routeTableId === table.id);
      assert.equal(route?.inputs.natGatewayId, nat.id);
      assert.equal(route?.inputs.destinationCidrBlock, "0.0.0.0/0");
      const assoc = associations.find(
        (a) => a.inputs.subnetId === one("aws:ec2/subnet:Subnet", `warbler-aws-network-private-${i}`).id,
      );
      assert.equal(assoc?.inputs.routeTableId, table.id);
    });
    const databaseTable = one("aws:ec2/routeTable:RouteTable", "warbler-aws-network-database-rt");
    assert.equal(routes.filter((r) => r.inputs.routeTableId === databaseTable.id).length, 0);
    for (let i = 0; i < 3; i++) {
      const subnetId = one("aws:ec2/subnet:Subnet", `warbler-aws-network-database-${i}`).id;
      assert.equal(associations.find((a) => a.inputs.subnetId === subnetId)?.inputs.routeTableId, databaseTable.id);
    }
  },
);

test("VPC flow logs record all traffic into a log group encrypted with the key", () => {
  const flow = one("aws:ec2/flowLog:FlowLog");
  const group = one("aws:cloudwatch/logGroup:LogGroup", "warbler-aws-network-flow-logs");
  assert.equal(flow.inputs.vpcId, one("aws:ec2/vpc:Vpc").id);
  assert.equal(flow.inputs.trafficType, "ALL");
  assert.equal(flow.inputs.logDestination, group.outputs.arn);
  assert.equal(group.inputs.kmsKeyId, keyArn());
  assert.equal(group.inputs.retentionInDays, config.cluster.auditLogRetentionDays);
});

test("EKS: pinned version, public endpoint for the configured ranges, Secrets encrypted, every audit log on", () => {
  const eks = one("aws:eks/cluster:Cluster");
  assert.equal(eks.inputs.name, cluster);
  assert.equal(eks.inputs.version, "1.36");
  const vpc = eks.inputs.vpcConfig as Record<string, unknown>;
  assert.equal(vpc.endpointPrivateAccess, true);
  assert.equal(vpc.endpointPublicAccess, true);
  assert.deepEqual(vpc.publicAccessCidrs, config.cluster.publicAccessCidrs);
  assert.deepEqual(config.cluster.publicAccessCidrs, ["203.0.113.0/24"]);
  assert.deepEqual(vpc.subnetIds, outputs.privateSubnetIds);
  assert.deepEqual(eks.inputs.encryptionConfig, { provider: { keyArn: keyArn() }, resources: ["secrets"] });
  assert.deepEqual(eks.inputs.enabledClusterLogTypes, [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
  ]);
  assert.deepEqual(eks.inputs.accessConfig, {
    authenticationMode: "API",
    bootstrapClusterCreatorAdminPermissions: true,
  });
  assert.equal(
    (eks.inputs.kubernetesNetworkConfig as Record<string, unknown>).serviceIpv4Cidr,
    config.cluster.serviceCidr,
  );
  const logs = one("aws:cloudwatch/logGroup:LogGroup", "warbler-aws-cluster-logs");
  assert.equal(logs.inputs.name, `/aws/eks/${cluster}/cluster`);
  assert.equal(logs.inputs.kmsKeyId, keyArn());
  assert.equal(logs.inputs.retentionInDays, 365);
  const clusterRole = one("aws:iam/role:Role", "warbler-aws-cluster-cluster-role");
  const keyGrant = statements(inlinePolicyOf(clusterRole)?.inputs.policy);
  assert.deepEqual(keyGrant[0].Resource, keyArn());
});

test(
  "node pools autoscale between config min and max over every zone, on encrypted gp3 roots with IMDSv2 and the " +
    "IM sysctls",
  () => {
    const [pool] = config.cluster.nodePools;
    const group = one("aws:eks/nodeGroup:NodeGroup", `warbler-aws-cluster-pool-${pool.name}-ng`);
    assert.deepEqual(group.inputs.scalingConfig, { minSize: pool.min, maxSize: pool.max, desiredSize: pool.min });
    assert.deepEqual(group.inputs.subnetIds, outputs.privateSubnetIds);
    assert.deepEqual(group.inputs.instanceTypes, ["m6i.2xlarge"]);
    assert.equal(group.inputs.version, "1.36");
    const tags = group.inputs.tags as Record<string, string>;
    assert.equal(tags[`k8s.io/cluster-autoscaler/${cluster}`], "owned");
    assert.equal(tags["k8s.io/cluster-autoscaler/enabled"], "true");
    const template = one("aws:ec2/launchTemplate:LaunchTemplate", `warbler-aws-cluster-pool-${pool.name}-lt`);
    assert.equal((group.inputs.launchTemplate as Record<string, unknown>).id, template.id);
    const [root] = template.inputs.blockDeviceMappings as { deviceName: string; ebs: Record<string, unknown> }[];
    assert.equal(root.deviceName, "/dev/xvda");
    assert.equal(root.ebs.encrypted, "true");
    assert.equal(root.ebs.kmsKeyId, keyArn());
    assert.equal(root.ebs.volumeType, "gp3");
    assertImdsV2OneHop(template);
    const userData = Buffer.from(String(template.inputs.userData), "base64").toString("utf8");
    for (const [key, value] of Object.entries(imNodeSysctls)) assert.ok(userData.includes(`${key} = ${value}`), key);
    // A config pool keeps the AMI's container limits and takes any pod: no NodeConfig part, no taint.
    assert.ok(!userData.includes(NODEADM_CONTENT_TYPE));
    assert.equal(group.inputs.taints, undefined);
  },
);

test(
  "the kit adds the dedicated ejabberd node group: the sized r7i type, one node per instance and a spare, the " +
    "ejabberd label and NoSchedule taint, the same encrypted root and IMDSv2, and containers' open files raised",
  () => {
    const sizing = imSizingFor(config.im);
    const nodes = imReplicas(config.im);
    const group = one("aws:eks/nodeGroup:NodeGroup", `warbler-aws-cluster-pool-${imNodePool.name}-ng`);
    assert.deepEqual(group.inputs.instanceTypes, [imNodeSizes[shapeKey(sizing.node)].type]);
    assert.match(String((group.inputs.instanceTypes as string[])[0]), /^r7i\./);
    assert.deepEqual(group.inputs.scalingConfig, { minSize: nodes, maxSize: nodes + 1, desiredSize: nodes });
    assert.deepEqual(group.inputs.subnetIds, outputs.privateSubnetIds);
    assert.equal(
      (group.inputs.labels as Record<string, string>)[imNodePool.label.key],
      imNodePool.label.value,
      "the chart's nodeSelector",
    );
    // EKS spells the effect NO_SCHEDULE (@pulumi/aws types/input.d.ts NodeGroupTaint; EKS API Taint).
    assert.deepEqual(group.inputs.taints, [
      { key: imNodePool.taint.key, value: imNodePool.taint.value, effect: "NO_SCHEDULE" },
    ]);
    assert.deepEqual(group.inputs.nodeRepairConfig, { enabled: true });
    const template = one("aws:ec2/launchTemplate:LaunchTemplate", `warbler-aws-cluster-pool-${imNodePool.name}-lt`);
    assert.equal((group.inputs.launchTemplate as Record<string, unknown>).id, template.id);
    const [root] = template.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[];
    assert.deepEqual([root.ebs.encrypted, root.ebs.kmsKeyId], ["true", keyArn()]);
    assertImdsV2OneHop(template);
    const userData = Buffer.from(String(template.inputs.userData), "base64").toString("utf8");
    assert.ok(userData.includes(`fs.nr_open = ${imMaxOpenFiles}`));
    assert.ok(userData.includes(`Content-Type: ${NODEADM_CONTENT_TYPE}`));
    assert.ok(userData.includes(`hard: ${imMaxOpenFiles}`));
  },
);

test("managed add-ons run at the pinned builds; the CNI and the EBS CSI driver use their own IRSA roles", () => {
  const addons = ofType("aws:eks/addon:Addon");
  assert.deepEqual(
    Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion])),
    eksAddonVersions["1.36"],
  );
  const ebs = addons.find((a) => a.inputs.addonName === "aws-ebs-csi-driver");
  const ebsRole = roleFor("ebs-csi-controller-sa");
  assert.ok(ebsRole);
  assert.equal(ebs?.inputs.serviceAccountRoleArn, ebsRole.outputs.arn);
  const ebsKey = statements(inlinePolicyOf(ebsRole)?.inputs.policy);
  assert.ok(
    ebsKey.every((s) => s.Resource === keyArn()),
    "the CSI driver may use only the stack's key",
  );
  assert.equal(
    addons.find((a) => a.inputs.addonName === "vpc-cni")?.inputs.serviceAccountRoleArn,
    roleFor("aws-node")?.outputs.arn,
  );
});

test("the upload service's IRSA role trusts only warbler-im/warbler-upload and reaches only its bucket and key", () => {
  const role = roleFor(imWorkload.serviceAccount);
  assert.ok(role);
  const [trust] = statements(role.inputs.assumeRolePolicy);
  const oidc = one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
  assert.deepEqual(trust.Principal, { Federated: oidc.outputs.arn });
  assert.equal(trust.Action, "sts:AssumeRoleWithWebIdentity");
  const conditions = trust.Condition?.StringEquals as Record<string, string>;
  assert.deepEqual(Object.values(conditions), ["system:serviceaccount:warbler-im:warbler-upload", "sts.amazonaws.com"]);
  const bucket = one("aws:s3/bucket:Bucket", "warbler-aws-bucket-bucket");
  const resourcesAllowed = statements(inlinePolicyOf(role)?.inputs.policy).flatMap((s) => [s.Resource].flat());
  assert.deepEqual(resourcesAllowed.sort(), [bucket.outputs.arn, `${bucket.outputs.arn}/*`, keyArn()].sort());
  assert.equal(outputs.imRoleAnnotation, role.outputs.arn);
  assert.equal(outputs.identityKind, "irsa");
});

test(
  "PostgreSQL: the configured major with minor upgrades on, encrypted with the key, TLS forced, private, " +
    "Multi-AZ, retention and deletion protection from config",
  () => {
    const db = one("aws:rds/instance:Instance");
    assert.equal(db.inputs.engine, "postgres");
    assert.equal(db.inputs.engineVersion, "16");
    assert.equal(db.inputs.autoMinorVersionUpgrade, true);
    assert.equal(db.inputs.instanceClass, "db.m6i.xlarge");
    assert.equal(db.inputs.allocatedStorage, 100);
    assert.equal(db.inputs.storageEncrypted, true);
    assert.equal(db.inputs.kmsKeyId, keyArn());
    assert.equal(db.inputs.performanceInsightsKmsKeyId, keyArn());
    assert.equal(db.inputs.publiclyAccessible, false);
    assert.equal(db.inputs.multiAz, true);
    assert.equal(db.inputs.backupRetentionPeriod, 14);
    assert.equal(db.inputs.deletionProtection, true);
    assert.equal(db.inputs.skipFinalSnapshot, false);
    assert.equal(db.inputs.password, "[secret]");
    assert.equal(db.inputs.caCertIdentifier, "rds-ca-rsa2048-g1");
    const params = one("aws:rds/parameterGroup:ParameterGroup");
    assert.equal(db.inputs.parameterGroupName, params.outputs.name ?? params.inputs.name);
    assert.equal(params.inputs.family, "postgres16");
    const values = Object.fromEntries(
      (params.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]),
    );
    assert.equal(values["rds.force_ssl"], "1");
    assert.equal(values.ssl_min_protocol_version, "TLSv1.2");
    const subnets = one("aws:rds/subnetGroup:SubnetGroup");
    assert.deepEqual(
      subnets.inputs.subnetIds,
      [0, 1, 2].map((i) => one("aws:ec2/subnet:Subnet", `warbler-aws-network-database-${i}`).id),
    );
    assert.equal(db.inputs.dbSubnetGroupName, subnets.outputs.name ?? subnets.inputs.name);
    for (const log of ["postgresql", "upgrade"]) {
      const group = one("aws:cloudwatch/logGroup:LogGroup", `warbler-aws-database-log-${log}`);
      assert.equal(group.inputs.kmsKeyId, keyArn());
      assert.equal(group.inputs.name, `/aws/rds/instance/${db.inputs.identifier}/${log}`);
    }
  },
);

test("the database accepts 5432 from the private subnets and the peer, and connects out only to the peer", () => {
  const sg = one("aws:ec2/securityGroup:SecurityGroup", "warbler-aws-database-sg");
  const plan = planZoneSubnets(config.network.cidr, 3);
  const peer = config.failover.peer?.cidr;
  assert.equal(peer, "10.30.0.0/16");
  assert.deepEqual(
    (sg.inputs.ingress as Record<string, unknown>[]).map((r) => ({
      protocol: r.protocol,
      fromPort: r.fromPort,
      toPort: r.toPort,
      cidrBlocks: r.cidrBlocks,
    })),
    [
      { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: plan.map((p) => p.private) },
      { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [peer] },
    ],
  );
  assert.deepEqual(
    (sg.inputs.egress as Record<string, unknown>[]).map((r) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks]),
    [["tcp", 5432, 5432, [peer]]],
  );
  assert.deepEqual(one("aws:rds/instance:Instance").inputs.vpcSecurityGroupIds, [sg.id]);
});

test("database outputs: private host and port, password as a secret, verify-full with the region's RDS roots", () => {
  assert.match(String(outputs.host), /^warbler-aws-pg-[0-9a-f]{8}\.c[0-9a-f]+\.eu-central-1\.rds\.amazonaws\.com$/);
  assert.equal(outputs.port, 5432);
  assert.equal(outputs.password, "[secret]");
  assert.equal(outputs.sslMode, "verify-full");
  const pems = String(outputs.caBundle).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  assert.deepEqual(
    pems.map((p) => /CN=(.*)/.exec(new X509Certificate(p).subject)?.[1]).sort(),
    ["ECC384", "RSA2048", "RSA4096"].map((k) => `Amazon RDS eu-central-1 Root CA ${k} G1`),
  );
});

test(
  "the bucket: SSE-KMS with the key, all public access blocked, ACLs off, TLS 1.2+ only, versioned, lifecycle " +
    "from config",
  () => {
    const bucket = one("aws:s3/bucket:Bucket", "warbler-aws-bucket-bucket");
    assert.equal(bucket.inputs.bucket, bucketName({ name: config.name, stack: "aws", region: config.region }));
    assert.equal(outputs.bucketName, bucket.inputs.bucket);
    assert.equal(outputs.bucketEndpoint, "https://s3.eu-central-1.amazonaws.com");
    const at = (type: string) => {
      const attached = ofType(type).filter((r) => r.inputs.bucket === bucket.id);
      assert.equal(attached.length, 1, `one ${type} attaches to the bucket`);
      return attached[0].inputs;
    };
    assert.deepEqual(
      at("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules,
      [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn() },
          bucketKeyEnabled: true,
        },
      ],
    );
    const block = at("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
      assert.equal(block[flag], true, flag);
    assert.deepEqual(at("aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule, {
      objectOwnership: "BucketOwnerEnforced",
    });
    assert.deepEqual(at("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration, { status: "Enabled" });
    const rules = at("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules as Record<
      string,
      unknown
    >[];
    assert.deepEqual(
      rules.map((r) => r.id),
      ["expire-old-versions"],
      "expireAfterDays 0 keeps current files",
    );
    assert.deepEqual(rules[0].noncurrentVersionExpiration, { noncurrentDays: config.storage.noncurrentVersionDays });
    const policy = statements(at("aws:s3/bucketPolicy:BucketPolicy").policy);
    const arn = String(bucket.outputs.arn);
    assert.deepEqual(
      policy.map((s) => [s.Effect, s.Principal, s.Action, s.Resource, s.Condition]),
      [
        ["Deny", "*", "s3:*", [arn, `${arn}/*`], { Bool: { "aws:SecureTransport": false } }],
        ["Deny", "*", "s3:*", [arn, `${arn}/*`], { NumericLessThan: { "s3:TlsVersion": "1.2" } }],
      ],
    );
  },
);

test("the default StorageClass makes gp3 EBS volumes encrypted with the key", () => {
  const sc = one("kubernetes:storage.k8s.io/v1:StorageClass");
  const metadata = sc.inputs.metadata as { name: string; annotations: Record<string, string> };
  assert.equal(metadata.name, outputs.storageClassName);
  assert.equal(metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
  assert.equal(sc.inputs.provisioner, "ebs.csi.aws.com");
  const parameters = sc.inputs.parameters as Record<string, string>;
  assert.equal(parameters.encrypted, "true");
  assert.equal(parameters.kmsKeyId, keyArn());
  assert.equal(parameters.type, "gp3");
  assert.equal(sc.inputs.volumeBindingMode, "WaitForFirstConsumer");
  assert.equal(sc.inputs.allowVolumeExpansion, true);
});

test("the kubeconfig and the Kubernetes provider's copy of it are secrets", () => {
  assert.equal(outputs.kubeconfig, "[secret]");
  const providers = ofType("pulumi:providers:kubernetes");
  assert.equal(providers.length, 2, "the kit's own (controllers) and the one it hands the Kubernetes layer");
  for (const provider of providers) assert.equal(provider.inputs.kubeconfig, "[secret]");
});

test(
  "load balancer annotations ask the AWS Load Balancer Controller for internet-facing NLBs with IP targets, " +
    "which the kit installs",
  () => {
    const expected = {
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
    };
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(outputs.tcpAnnotations as Record<string, string>).filter(([k]) => k in expected),
      ),
      expected,
    );
    assert.deepEqual(outputs.udpAnnotations, outputs.tcpAnnotations);
    const releases = ofType("kubernetes:helm.sh/v3:Release");
    const lbc = releases.find((r) => r.inputs.chart === "aws-load-balancer-controller");
    const cas = releases.find((r) => r.inputs.chart === "cluster-autoscaler");
    assert.ok(lbc && cas);
    for (const release of [lbc, cas]) assert.match(String(release.inputs.version), /^\d+\.\d+\.\d+$/);
    const lbcValues = lbc.inputs.values as {
      clusterName: string;
      serviceAccount: { annotations: Record<string, string> };
    };
    assert.equal(lbcValues.clusterName, cluster);
    assert.equal(
      lbcValues.serviceAccount.annotations["eks.amazonaws.com/role-arn"],
      roleFor("aws-load-balancer-controller")?.outputs.arn,
    );
    const casValues = cas.inputs.values as { autoDiscovery: { clusterName: string } };
    assert.equal(casValues.autoDiscovery.clusterName, cluster);
    const resize = statements(inlinePolicyOf(roleFor("cluster-autoscaler") as PlannedResource)?.inputs.policy)[1];
    assert.deepEqual(resize.Condition, {
      StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`]: "owned" },
    });
  },
);

test("every taggable AWS resource carries the standard tags", () => {
  const untaggable = new Set([
    "aws:kms/alias:Alias",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    // A tag on a resource EKS created; the tag is all it holds.
    "aws:ec2/tag:Tag",
  ]);
  const taggable = resources.filter(
    (r) => r.custom && r.type.startsWith("aws:") && !r.type.startsWith("aws:s3/bucket") && !untaggable.has(r.type),
  );
  taggable.push(one("aws:s3/bucket:Bucket", "warbler-aws-bucket-bucket"));
  assert.ok(taggable.length > 40);
  for (const r of taggable) {
    const tags = r.inputs.tags as Record<string, string> | undefined;
    assert.equal(tags?.owner, "im-platform-team", `${r.type} ${r.name}`);
    assert.equal(tags?.["data-classification"], "confidential", `${r.type} ${r.name}`);
    assert.equal(tags?.["cost-center"], "cc-4711", `${r.type} ${r.name}`);
    assert.equal(tags?.["warbler-stack"], "warbler-aws", `${r.type} ${r.name}`);
  }
});
