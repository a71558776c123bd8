import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { defaultPorts } from "../../../charts/im/ejabberd-spec";
import { imPorts } from "../../../charts/im/props";
import { controllerCharts } from "../../../components/aws/controllers";
import { awsKit } from "../../../components/aws/descriptor";
import { INTERFACE_ENDPOINT_SERVICES } from "../../../components/aws/endpoints";
import { AwsKit } from "../../../components/aws/kit";
import { NLB_TCP_IDLE_TIMEOUT_SECONDS } from "../../../components/aws/load-balancer";
import { clusterName } from "../../../components/aws/naming";
import { kitDescriptors } from "../../../components/kits";
import { keepaliveSilenceSeconds } from "../../../config/im";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";
import { exampleRawConfig, withValue } from "../../support/stack-config";

/*
 * What the first `pulumi up` of the AWS example stack depends on, one AWS rule per test, each citing where AWS (or
 * the controller) states it. The example stack plus an in-network deployer range and one admin principal.
 */
const admin = "arn:aws:iam::123456789012:role/platform-ci";
let raw = exampleRawConfig("aws");
raw = withValue(raw, "warbler:cluster", ["privateAccessCidrs"], ["10.99.0.0/24"]);
raw = withValue(raw, "warbler:cluster", ["adminPrincipals"], [admin]);
const config = loadConfig(raw, { cloudRules: kitDescriptors }) as PlatformConfig;
const cluster = clusterName({ name: config.name, stack: "aws", region: config.region });
let resources: PlannedResource[] = [];
let invokes: string[] = [];
let outputs: Record<string, unknown> = {};

before(async () => {
  const calls: string[] = [];
  const mocks = providerMocks.map((m) => ({
    ...m,
    calls: Object.fromEntries(
      Object.entries(m.calls).map(([token, call]) => [
        token,
        (...args: Parameters<typeof call>) => {
          calls.push(token);
          return call(...args);
        },
      ]),
    ),
  }));
  const recorded = await recordProgram(
    () => {
      const kit = new AwsKit("warbler-aws", { config, stack: "aws" });
      awsKit.vpn(
        "warbler-vpn",
        {
          network: kit.outputs.network,
          region: config.region,
          peerCidr: "10.30.0.0/16",
          peerGatewayIp: "198.51.100.30",
          presharedKey: "offline",
          tags: {},
        },
        { parent: kit, providers: [kit.cloudProvider] },
      );
      const lb = kit.outputs.cluster.loadBalancer;
      return { tcp: lb.tcpAnnotations, udp: lb.udpAnnotations, idle: lb.tcpIdleTimeoutSeconds };
    },
    { project: "warbler", stack: "aws", region: config.region, accountId: "123456789012", subscriptionId: "unused" },
    mocks,
  );
  resources = recorded.resources;
  outputs = recorded.outputs;
  invokes = calls;
});

const ofType = (type: string) => resources.filter((r) => r.type === type);
const named = (type: string, name: string) => {
  const found = ofType(type).filter((r) => r.name === name);
  assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
};
const clusterSg = () =>
  (named("aws:eks/cluster:Cluster", "warbler-aws-cluster-eks").outputs.vpcConfig as Record<string, string>)
    .clusterSecurityGroupId;

describe("a deploy path from where `pulumi up` runs", () => {
  // The private endpoint's interfaces carry the cluster security group, which admits only itself by default
  // (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html, "Accessing a private only API server").
  it("admits each privateAccessCidrs range on 443 to the cluster security group", () => {
    const rules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.securityGroupId === clusterSg(),
    );
    assert.deepEqual(
      rules.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]),
      [["tcp", 443, 443, "10.99.0.0/24"]],
    );
  });

  // An access entry first, then its policy association: EKS refuses an association for a principal without an
  // entry (https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html).
  it("gives each configured admin principal an access entry and the cluster admin policy, in that order", () => {
    const entry = named("aws:eks/accessEntry:AccessEntry", "warbler-aws-cluster-admin-0");
    assert.equal(entry.inputs.principalArn, admin);
    const association = named("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "warbler-aws-cluster-admin-0");
    assert.equal(association.inputs.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
    assert.deepEqual(association.inputs.accessScope, { type: "cluster" });
    assert.ok(association.dependencies.includes(entry.urn));
  });
});

describe("the load balancer controller can build working NLBs", () => {
  // The kit's controller policy changes only security groups tagged elbv2.k8s.aws/cluster (upstream's
  // docs/install/iam_policy.json grants AuthorizeSecurityGroupIngress without that condition), and the controller
  // must add its backend rule to the cluster security group, which EKS creates without the tag.
  it("tags the cluster security group with the tag the controller's policy requires", () => {
    const tag = named("aws:ec2/tag:Tag", "warbler-aws-cluster-sg-lb-controller");
    assert.deepEqual(
      [tag.inputs.resourceId, tag.inputs.key, tag.inputs.value],
      [clusterSg(), "elbv2.k8s.aws/cluster", cluster],
    );
    const role = ofType("aws:iam/role:Role").find((r) =>
      String(r.inputs.assumeRolePolicy).includes(":aws-load-balancer-controller"),
    );
    const policy = ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === role?.id);
    const statements = JSON.parse(String(policy?.inputs.policy)).Statement as {
      Action: string[];
      Condition?: unknown;
    }[];
    const ingress = statements.find((s) => [s.Action].flat().includes("ec2:AuthorizeSecurityGroupIngress"));
    assert.deepEqual(ingress?.Condition, { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": cluster } });
  });

  // The controller's webhook mutates every Service and Pod; until its pods are Ready, creating them fails
  // (aws-load-balancer-controller#4140, aws/eks-charts#1058). A Helm Release waits for its pods unless skipAwait
  // (@pulumi/kubernetes helm/v3/release.d.ts, `skipAwait`).
  it("hands the Kubernetes layer a provider that exists only after the controller's release is Ready", () => {
    const release = ofType("kubernetes:helm.sh/v3:Release").find(
      (r) => r.inputs.chart === "aws-load-balancer-controller",
    );
    assert.ok(release);
    assert.equal(release.inputs.skipAwait, false);
    assert.equal(release.inputs.atomic, true);
    const layerProvider = named("pulumi:providers:kubernetes", "warbler-aws-k8s");
    assert.ok(layerProvider.dependencies.includes(release.urn));
    const systemProvider = named("pulumi:providers:kubernetes", "warbler-aws-cluster-k8s");
    assert.equal(release.provider, systemProvider.urn, "the controller itself uses the other one");
  });

  // IP targets over TCP keep the client's address only with preserve_client_ip.enabled, false by default for IP
  // targets (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html).
  it("asks for client IP preservation on every target group", () => {
    for (const annotations of [outputs.tcp, outputs.udp] as Record<string, string>[])
      assert.equal(
        annotations["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"],
        "preserve_client_ip.enabled=true",
      );
  });

  // The NLB idle timeout defaults to 350 s, set per TCP listener in 60-6000 s (https://docs.aws.amazon.com/
  // elasticloadbalancing/latest/network/update-idle-timeout.html); the controller reads it from
  // `listener-attributes.TCP-<port>` since v2.9.0 (aws-load-balancer-controller#3843, aws/eks-charts#1165).
  it("sets the idle timeout the contract states on every TCP listener, above the XMPP keepalive", () => {
    assert.equal(outputs.idle, NLB_TCP_IDLE_TIMEOUT_SECONDS);
    // Chart 1.9.0 shipped controller v2.9.0 (aws/eks-charts#1165); the chart's minor follows the controller's.
    const [major, minor] = controllerCharts.loadBalancerController.version.split(".").map(Number);
    assert.ok(major > 1 || minor >= 9, `chart ${controllerCharts.loadBalancerController.version} reads the annotation`);
    assert.ok(NLB_TCP_IDLE_TIMEOUT_SECONDS >= 60 && NLB_TCP_IDLE_TIMEOUT_SECONDS <= 6000);
    assert.ok(NLB_TCP_IDLE_TIMEOUT_SECONDS > 350);
    assert.ok(NLB_TCP_IDLE_TIMEOUT_SECONDS > keepaliveSilenceSeconds);
    const tcp = outputs.tcp as Record<string, string>;
    for (const port of [80, 443, defaultPorts.c2s, defaultPorts.c2sTls, imPorts.turnStream])
      assert.equal(
        tcp[`service.beta.kubernetes.io/aws-load-balancer-listener-attributes.TCP-${port}`],
        `tcp.idle_timeout.seconds=${NLB_TCP_IDLE_TIMEOUT_SECONDS}`,
      );
  });
});

describe("ordering the APIs require", () => {
  // ec2.getRouteTable({subnetId}) answers only once the subnet's association exists, and nothing orders the
  // lookup after it; the network hands its tables over instead.
  it("propagates the VPN's routes into the tables the network created, without a lookup", () => {
    assert.ok(!invokes.includes("aws:ec2/getRouteTable:getRouteTable"));
    const tables = ofType("aws:ec2/routeTable:RouteTable")
      .filter((t) => /-(private-rt-\d|database-rt)$/.test(t.name))
      .map((t) => t.id);
    assert.equal(tables.length, 4);
    const propagated = ofType("aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation").map(
      (p) => p.inputs.routeTableId,
    );
    assert.deepEqual([...propagated].sort(), [...tables].sort());
  });
});

describe("security controls", () => {
  // The VPC CNI enforces NetworkPolicies only with enableNetworkPolicy "true" in its add-on configuration
  // (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html; CIS EKS 5.4.4).
  it("turns NetworkPolicy enforcement on in the VPC CNI add-on", () => {
    const cni = named("aws:eks/addon:Addon", "warbler-aws-cluster-vpc-cni");
    assert.deepEqual(JSON.parse(String(cni.inputs.configurationValues)), { enableNetworkPolicy: "true" });
  });

  // The default security group allows all traffic among its members and all egress until emptied
  // (https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html; CIS AWS Foundations 5.4).
  it("empties the default security group", () => {
    const sg = named("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "warbler-aws-network-default-sg");
    assert.deepEqual([sg.inputs.ingress, sg.inputs.egress], [[], []]);
  });

  // The default network ACL allows everything in both directions (https://docs.aws.amazon.com/vpc/latest/userguide/
  // default-network-acl.html); no ACL may admit 22 or 3389 from anywhere (CIS AWS Foundations 5.1).
  it("manages the default network ACL over every subnet, refusing remote administration ports first", () => {
    const acl = named("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "warbler-aws-network-default-nacl");
    assert.equal((acl.inputs.subnetIds as string[]).length, ofType("aws:ec2/subnet:Subnet").length);
    const ingress = acl.inputs.ingress as { ruleNo: number; action: string; fromPort: number }[];
    const firstFor = (port: number) =>
      [...ingress].sort((a, b) => a.ruleNo - b.ruleNo).find((r) => r.fromPort === port || r.fromPort === 0);
    assert.equal(firstFor(22)?.action, "deny");
    assert.equal(firstFor(3389)?.action, "deny");
  });

  // The services an EKS cluster without internet access needs endpoints for
  // (https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html).
  it("reaches S3 through a gateway endpoint and ECR, STS, EC2 and logs through private-DNS interface endpoints", () => {
    const endpoints = ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
    const byService = new Map(endpoints.map((e) => [String(e.inputs.serviceName), e]));
    const endpoint = (service: string) => {
      const e = byService.get(`com.amazonaws.eu-central-1.${service}`);
      assert.ok(e, `an endpoint for ${service}`);
      return e.inputs;
    };
    assert.equal(endpoint("s3").vpcEndpointType, "Gateway");
    assert.equal((endpoint("s3").routeTableIds as string[]).length, 3);
    assert.deepEqual([...INTERFACE_ENDPOINT_SERVICES].sort(), ["ec2", "ecr.api", "ecr.dkr", "logs", "sts"]);
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      const e = endpoint(service);
      assert.equal(e.vpcEndpointType, "Interface", service);
      assert.equal(e.privateDnsEnabled, true, service);
      assert.equal((e.subnetIds as string[]).length, 3, service);
      const [sgId] = e.securityGroupIds as string[];
      const sg = ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.id === sgId);
      assert.ok(sg);
      assert.deepEqual(
        (sg.inputs.ingress as Record<string, unknown>[]).map((r) => [r.fromPort, r.cidrBlocks]),
        [[443, [config.network.cidr]]],
      );
    }
  });

  // Enhanced monitoring is off at interval 0 (the default) and needs a role RDS can assume
  // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html).
  it("turns RDS enhanced monitoring on with its own role, created before the instance", () => {
    const instance = named("aws:rds/instance:Instance", "warbler-aws-database-instance");
    assert.equal(instance.inputs.monitoringInterval, 60);
    const role = named("aws:iam/role:Role", "warbler-aws-database-monitoring-role");
    assert.equal(instance.inputs.monitoringRoleArn, role.outputs.arn);
    assert.match(String(role.inputs.assumeRolePolicy), /monitoring\.rds\.amazonaws\.com/);
    const attachment = named(
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "warbler-aws-database-monitoring-policy",
    );
    assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
    assert.ok(instance.dependencies.includes(attachment.urn));
  });

  // log_connections, log_disconnections and log_min_duration_statement are off (-1) by default
  // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Concepts.PostgreSQL.html).
  it("logs connections, disconnections and statements slower than a second", () => {
    const params = named("aws:rds/parameterGroup:ParameterGroup", "warbler-aws-database-params").inputs.parameters as {
      name: string;
      value: string;
    }[];
    const value = (name: string) => params.find((p) => p.name === name)?.value;
    assert.deepEqual(["log_connections", "log_disconnections", "log_min_duration_statement"].map(value), [
      "1",
      "1",
      "1000",
    ]);
  });

  // Node auto repair is off unless enabled (@pulumi/aws eks/nodeGroup.d.ts `nodeRepairConfig`;
  // https://docs.aws.amazon.com/eks/latest/userguide/node-health.html).
  it("turns node auto repair on for every node group", () => {
    const groups = ofType("aws:eks/nodeGroup:NodeGroup");
    assert.ok(groups.length > 0);
    for (const g of groups) assert.deepEqual(g.inputs.nodeRepairConfig, { enabled: true });
  });
});

describe("S3 server access logging", () => {
  // S3 records requests only when the source bucket names a target; with ACLs disabled the logging service
  // principal is granted by the target's bucket policy, scoped by aws:SourceArn and aws:SourceAccount
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
  it("logs the files bucket into a log bucket only S3's logging service may write, after that grant exists", () => {
    const files = named("aws:s3/bucket:Bucket", "warbler-aws-bucket-bucket");
    const logs = named("aws:s3/bucket:Bucket", "warbler-aws-bucket-access-logs");
    const logging = named("aws:s3/bucketLogging:BucketLogging", "warbler-aws-bucket-logging");
    assert.deepEqual([logging.inputs.bucket, logging.inputs.targetBucket], [files.id, logs.id]);
    const policy = named("aws:s3/bucketPolicy:BucketPolicy", "warbler-aws-bucket-access-logs-policy");
    assert.ok(logging.dependencies.includes(policy.urn));
    const delivery = (JSON.parse(String(policy.inputs.policy)).Statement as Record<string, unknown>[]).find(
      (s) => s.Effect === "Allow",
    );
    assert.deepEqual(delivery?.Principal, { Service: "logging.s3.amazonaws.com" });
    assert.equal(delivery?.Action, "s3:PutObject");
    assert.deepEqual(delivery?.Condition, {
      ArnLike: { "aws:SourceArn": files.outputs.arn },
      StringEquals: { "aws:SourceAccount": "123456789012" },
    });
    const ownership = ofType("aws:s3/bucketOwnershipControls:BucketOwnershipControls").find(
      (r) => r.inputs.bucket === logs.id,
    );
    assert.deepEqual(ownership?.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
  });
});

describe("config the AWS kit refuses", () => {
  // EKS access entries take IAM role or user ARNs, not STS session ARNs
  // (https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html).
  it("refuses an admin principal that is not an IAM role or user ARN, naming the key", () => {
    const bad = withValue(
      raw,
      "warbler:cluster",
      ["adminPrincipals"],
      ["arn:aws:sts::123456789012:assumed-role/platform-ci/session"],
    );
    assert.throws(
      () => loadConfig(bad, { cloudRules: kitDescriptors }),
      /warbler:cluster\.adminPrincipals\[0\].*IAM role or user ARN/s,
    );
  });
});
