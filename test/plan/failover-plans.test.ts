import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { planGatewaySubnet } from "../../lib/cidr";
import { REPO, runCli } from "../support/cli";

interface Resource {
  urn: string;
  type: string;
  name: string;
  provider: string;
  inputs: Record<string, any>;
}

const docs: Record<
  string,
  {
    resources: Resource[];
    outputs: Record<string, unknown>;
    violations: { policy?: string; resource?: string; urn?: string; message: string }[];
  }
> = {};
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "warbler-failover-plan-"));
  // The documented variant: Alibaba Cloud as the standby of the AWS primary.
  const variant = join(dir, "Pulumi.alicloud-standby.yaml");
  writeFileSync(
    variant,
    `${readFileSync(join(REPO, "stacks", "Pulumi.alicloud.yaml"), "utf8").trimEnd()}\n  ` +
      `warbler:failover:\n    role: standby\n    peer: { cloud: aws, stack: aws, cidr: 10.20.0.0/16, gatewayIp: ` +
      `198.51.100.20 }\n`,
  );
  const result = await runCli(["plan", "aws", "azure", "global", variant, "--out", dir, "--quiet"], {
    timeoutMs: 170_000,
  });
  assert.equal(result.code, 0, `no mandatory policy violation in any stack:\n${result.stdout}\n${result.stderr}`);
  for (const stack of ["aws", "azure", "global", "alicloud-standby"])
    docs[stack] = JSON.parse(readFileSync(join(dir, `${stack}.json`), "utf8"));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const ofType = (stack: string, type: string) => docs[stack].resources.filter((r) => r.type === type);
/** The failover's Jobs: every stack also runs the IM database setup Job, in its own namespace. */
const replicationJobs = (stack: string) =>
  ofType(stack, "kubernetes:batch/v1:Job").filter((j) => j.inputs.metadata.namespace !== "warbler-im-setup");

test("the global stack plans a TCP health check per side and PRIMARY/SECONDARY records for the three IM host names", {
  timeout: 180_000,
}, () => {
  const checks = ofType("global", "aws:route53/healthCheck:HealthCheck");
  assert.equal(checks.length, 2);
  for (const c of checks) {
    assert.equal(c.inputs.type, "TCP");
    assert.equal(c.inputs.port, 5222);
    assert.equal(c.inputs.requestInterval, 10);
    assert.equal(c.inputs.failureThreshold, 3);
  }
  const records = ofType("global", "aws:route53/record:Record");
  const byHost = new Map<string, string[]>();
  for (const r of records) {
    // An alias to the AWS side's NLB takes no TTL (Route 53 uses the load balancer's); plain records take the config's.
    assert.equal(r.inputs.ttl, r.inputs.aliases ? undefined : 30);
    assert.ok(r.inputs.healthCheckId, `${r.name} is health-checked`);
    byHost.set(r.inputs.name, [...(byHost.get(r.inputs.name) ?? []), r.inputs.failoverRoutingPolicies[0].type]);
  }
  assert.deepEqual([...byHost.keys()].sort(), ["chat.example.com", "upload.chat.example.com", "xmpp.chat.example.com"]);
  for (const types of byHost.values()) assert.deepEqual(types.sort(), ["PRIMARY", "SECONDARY"]);
});

test("the AWS primary plans the VPN link to Azure and turns on logical replication", { timeout: 180_000 }, () => {
  assert.equal(ofType("aws", "aws:ec2/vpnGateway:VpnGateway").length, 1);
  const [customer] = ofType("aws", "aws:ec2/customerGateway:CustomerGateway");
  assert.equal(customer.inputs.ipAddress, "198.51.100.30");
  const [route] = ofType("aws", "aws:ec2/vpnConnectionRoute:VpnConnectionRoute");
  assert.equal(route.inputs.destinationCidrBlock, "10.30.0.0/16");
  assert.ok(
    ofType("aws", "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation").length >= 2,
    "routes reach the private and database subnets",
  );
  const [group] = ofType("aws", "aws:rds/parameterGroup:ParameterGroup");
  assert.ok(
    group.inputs.parameters.some(
      (p: { name: string; value: string }) => p.name === "rds.logical_replication" && p.value === "1",
    ),
  );
  assert.equal(replicationJobs("aws").length, 0, "the primary runs no replication Job");
  assert.equal(docs.aws.outputs.vpnPresharedKey, "[secret]");
  // Both tunnels of the VPN connection have their own AWS outside address
  // (https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html); the standby reads both to connect to both.
  const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;
  assert.match(String(docs.aws.outputs.vpnGatewayIp), ipv4);
  assert.match(String(docs.aws.outputs.vpnSecondGatewayIp), ipv4);
  assert.notEqual(docs.aws.outputs.vpnSecondGatewayIp, docs.aws.outputs.vpnGatewayIp);
});

test("the Azure standby plans its GatewaySubnet, wal_level=logical, the replication Job and the file copy", {
  timeout: 180_000,
}, () => {
  const [subnet] = ofType("azure", "azure-native:network:Subnet").filter(
    (s) => s.inputs.subnetName === "GatewaySubnet",
  );
  assert.equal(subnet.inputs.addressPrefix, planGatewaySubnet("10.30.0.0/16"));
  const [local] = ofType("azure", "azure-native:network:LocalNetworkGateway");
  assert.deepEqual(local.inputs.localNetworkAddressSpace.addressPrefixes, ["10.20.0.0/16"]);
  assert.ok(
    ofType("azure", "azure-native:dbforpostgresql:Configuration").some(
      (c) => c.inputs.configurationName === "wal_level" && c.inputs.value === "logical",
    ),
  );
  const [config] = ofType("azure", "kubernetes:core/v1:ConfigMap").filter((c) => c.name.includes("replication-sql"));
  assert.match(config.inputs.data["primary.sql"], /GRANT rds_replication TO warbler_replicator/, "the primary is RDS");
  assert.match(
    config.inputs.data["standby.sql"],
    /CREATE SUBSCRIPTION warbler_from_aws CONNECTION :'warbler_conninfo_1'/,
  );
  assert.doesNotMatch(JSON.stringify(config.inputs.data), /password=[^'" ]/, "no password in the ConfigMap");
  const [job] = replicationJobs("azure");
  const container = job.inputs.spec.template.spec.containers[0];
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  const [cron] = ofType("azure", "kubernetes:batch/v1:CronJob");
  const rclone = cron.inputs.spec.jobTemplate.spec.template.spec.containers[0];
  assert.equal(rclone.args[0], "copy", "files are copied, never synced with deletes");
  assert.ok(
    rclone.env.some(
      (e: { name: string; value?: string }) => e.name === "RCLONE_CONFIG_DST_ENV_AUTH" && e.value === "true",
    ),
    "the target bucket is written with workload identity",
  );
});

test("the policy pack finds nothing to object to in the failover resources", { timeout: 180_000 }, () => {
  for (const stack of Object.keys(docs)) {
    const mine = docs[stack].violations.filter((v) => /failover|warbler:failover|GlobalDns/i.test(JSON.stringify(v)));
    assert.deepEqual(mine, [], `${stack}: ${JSON.stringify(mine)}`);
  }
});

test("the Alibaba standby variant plans its VPN gateway, IKEv2 connection, VPC route and wal_level=logical", {
  timeout: 180_000,
}, () => {
  const stack = "alicloud-standby";
  assert.equal(ofType(stack, "alicloud:vpn/gateway:Gateway").length, 1);
  const [connection] = ofType(stack, "alicloud:vpn/connection:Connection");
  assert.deepEqual(connection.inputs.remoteSubnets, ["10.20.0.0/16"]);
  // Dual-tunnel (components/alicloud/vpn.ts, tunnelOptions, unit-tested): each tunnel holds the pre-shared key.
  assert.equal(
    connection.inputs.tunnelOptionsSpecifications,
    "[secret]",
    "the pre-shared key inside each tunnel keeps the whole list secret",
  );
  assert.equal(connection.inputs.ikeConfig, undefined);
  const [route] = ofType(stack, "alicloud:vpn/routeEntry:RouteEntry");
  assert.equal(route.inputs.publishVpc, true);
  const [provider] = ofType(stack, "pulumi:providers:alicloud");
  const vpnResources = docs[stack].resources.filter((x) => x.urn.includes("warbler:failover:AlicloudVpn$"));
  assert.ok(vpnResources.length >= 4, "the VPN component's children are planned");
  for (const r of vpnResources) {
    assert.equal(r.provider, provider.urn, `${r.name} uses the stack's provider, not the default one`);
  }
  const [rds] = ofType(stack, "alicloud:rds/instance:Instance");
  assert.ok(
    rds.inputs.parameters.some((p: { name: string; value: string }) => p.name === "wal_level" && p.value === "logical"),
  );
  const [config] = ofType(stack, "kubernetes:core/v1:ConfigMap").filter((c) => c.name.includes("replication-sql"));
  assert.match(config.inputs.data["standby.sql"], /ALTER ROLE warbler_replicator WITH REPLICATION/);
});
