import assert from "node:assert/strict";
import { test } from "node:test";
import { credentialMinutes, privateKubeconfig } from "../../../components/alicloud/cluster";
import { alicloudConfigIssues } from "../../../components/alicloud/config-rules";
import { keyDescription, otherStacksDefaultKey } from "../../../components/alicloud/key";
import { loadBalancerAnnotations } from "../../../components/alicloud/load-balancer";
import { alicloudMocks, rdsEndpointDomain } from "../../../components/alicloud/mocks";
import { autoscalerSettings, nodePoolArgs, systemPoolArgs } from "../../../components/alicloud/node-pool";
import { clbHealthCheckCidr, publishedRules } from "../../../components/alicloud/published-ports";
import { tunnelOptions } from "../../../components/alicloud/vpn";

const ctx = { project: "warbler", stack: "t", region: "eu-central-1", accountId: "1", subscriptionId: "-" };
const clusterId = "c0123456789abcdef0123456789abcdef";
const credential = (inputs: Record<string, unknown>) =>
  alicloudMocks.calls["alicloud:cs/getClusterCredential:getClusterCredential"](
    { token: "", provider: "", inputs },
    ctx,
  );

// RDS PostgreSQL internal endpoints: <id>.pg.rds.aliyuncs.com in mainland China, <id>.pgsql.<city>.rds.aliyuncs.com
// elsewhere, as seen on real instances (pgm-....pgsql.singapore / .pgsql.germany.rds.aliyuncs.com).
test("the RDS endpoint domain follows the region: pg.rds in mainland China, pgsql.<city> elsewhere", () => {
  assert.equal(rdsEndpointDomain("cn-hangzhou"), "pg.rds.aliyuncs.com");
  assert.equal(rdsEndpointDomain("eu-central-1"), "pgsql.germany.rds.aliyuncs.com");
  assert.equal(rdsEndpointDomain("ap-southeast-1"), "pgsql.singapore.rds.aliyuncs.com");
  assert.throws(() => rdsEndpointDomain("cn-hongkong"), /no RDS endpoint domain for cn-hongkong/);
});

// DescribeClusterUserKubeconfig (api-cs-2015-12-15-describeclusteruserkubeconfig): one cluster "kubernetes", user
// kubernetes-admin with client-certificate-data/client-key-data; TemporaryDurationMinutes 15 to 4320.
test("the mocked credential has ACK's kubeconfig shape and refuses an early call or a bad lifetime", () => {
  const answer = credential({ clusterId, temporaryDurationMinutes: 180 });
  const config = String(answer.kubeConfig);
  assert.match(config, /^ {2}name: kubernetes$/m);
  assert.match(config, /client-certificate-data: /);
  assert.match(config, new RegExp(`^current-context: kubernetes-admin-${clusterId}$`, "m"));
  assert.equal(answer.expiration, "2025-01-01T03:00:00Z");
  assert.throws(() => credential({ clusterId: "" }), /not the id of a created ACK cluster/);
  assert.throws(() => credential({ clusterId, temporaryDurationMinutes: 10 }), /not 15 to 4320/);
});

test("the deploy's kubeconfig points at the private API endpoint and is temporary", () => {
  const config = String(credential({ clusterId, temporaryDurationMinutes: 180 }).kubeConfig);
  const rewritten = privateKubeconfig(config, "https://10.40.0.7:6443");
  assert.match(rewritten, /^ {4}server: https:\/\/10\.40\.0\.7:6443$/m);
  assert.equal(rewritten.replace(/server: .*/, ""), config.replace(/server: .*/, ""), "nothing else changes");
  assert.throws(() => privateKubeconfig(config, ""), /no private API endpoint/);
  assert.throws(() => credentialMinutes(4321), /15 to 4320/);
  assert.equal(credentialMinutes(180), 180);
});

// The pinned provider cannot attach an ACL to the listener ACK creates on its API server CLB
// (https://help.aliyun.com/en/ack/ack-managed-and-ack-dedicated/user-guide/configure-network-acls-for-the-api-server-
// of-an-ack-cluster); ModifyCluster's access_control_list stopped taking effect on 2026-07-04 (api-cs-2015-12-15-
// modifycluster).
test("publicAccessCidrs is refused on alicloud with the reason and the way out named", () => {
  const issues = alicloudConfigIssues({ cluster: { publicAccessCidrs: ["203.0.113.0/24"] } });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].key, "warbler:cluster.publicAccessCidrs");
  assert.match(issues[0].message, /6443 listener.*cluster\.privateAccessCidrs/s);
});

test("a Basic-edition database is refused where no dedicated class can take the stack key", () => {
  const issues = alicloudConfigIssues({ database: { highAvailability: false, size: "medium" } });
  assert.deepEqual(
    issues.map((i) => i.key),
    ["warbler:database.highAvailability"],
  );
  assert.match(issues[0].message, /customer key only on dedicated classes/);
  assert.deepEqual(alicloudConfigIssues({ database: { highAvailability: false, size: "xlarge" } }), []);
});

test("a second stack on the region's default key is named, the stack's own key is not", () => {
  const mine = keyDescription("warbler-prod", undefined);
  const theirs = keyDescription("warbler-staging", undefined);
  assert.equal(otherStacksDefaultKey([mine], "warbler-prod"), undefined);
  assert.equal(otherStacksDefaultKey([mine, theirs], "warbler-prod"), theirs);
  assert.equal(otherStacksDefaultKey([keyDescription("warbler-staging", "kst-abc")], "warbler-prod"), undefined);
});

test("the node group admits exactly the published pod ports, from clients and from CLB health checks", () => {
  const rules = publishedRules([50000, 50039]);
  assert.deepEqual(
    rules.filter((r) => r.cidrIp === "0.0.0.0/0").map((r) => `${r.ipProtocol}:${r.portRange}`),
    ["tcp:10443/10443", "tcp:5222/5223", "tcp:5349/5349", "udp:3478/3478", "udp:50000/50039"],
  );
  assert.equal(rules.filter((r) => r.cidrIp === clbHealthCheckCidr).length, 5);
  assert.deepEqual(
    publishedRules(undefined).map((r) => r.portRange),
    ["10443/10443", "10443/10443", "5222/5223", "5222/5223"],
  );
});

const poolArgs = { clusterId: "c", vswitchIds: ["a", "b", "c"], securityGroupId: "sg", keyId: "k", tags: {} };

test("the system pool has a fixed size, one node per zone, and the IM pools autoscale", () => {
  const system = systemPoolArgs(3, poolArgs);
  assert.equal(system.scalingConfig, undefined);
  assert.equal(system.desiredSize, "3");
  assert.equal(system.nodePoolName, "system");
  const im = nodePoolArgs({ name: "im", size: "large", min: 3, max: 6 }, poolArgs);
  assert.deepEqual(im.scalingConfig, { enable: true, minSize: 3, maxSize: 6, type: "cpu" });
  assert.equal(autoscalerSettings.skipNodesWithSystemPods, true);
});

// ACK forbids securityHardeningOs and socEnabled together (@pulumi/alicloud cs/nodePool.d.ts, socEnabled).
test("MLPS hardening replaces the default OS hardening, never both", () => {
  const mlps = nodePoolArgs({ name: "im", size: "large", min: 3, max: 6 }, { ...poolArgs, mlpsHardening: true });
  assert.deepEqual([mlps.socEnabled, mlps.securityHardeningOs], [true, false]);
  const plain = nodePoolArgs({ name: "im", size: "large", min: 3, max: 6 }, poolArgs);
  assert.deepEqual([plain.socEnabled, plain.securityHardeningOs], [false, true]);
});

// CreateVpnConnection on a dual-tunnel gateway takes TunnelOptionsSpecification, one per tunnel.
test("the failover VPN connection is dual-tunnel: master and slave, to the peer's two addresses, IKEv2 on each", () => {
  const tunnels = tunnelOptions("cgw-1", "cgw-2", "psk");
  assert.deepEqual(
    tunnels.map((t) => [t.role, t.customerGatewayId, t.tunnelIkeConfig.ikeVersion, t.tunnelIpsecConfig.ipsecEncAlg]),
    [
      ["master", "cgw-1", "ikev2", "aes256"],
      ["slave", "cgw-2", "ikev2", "aes256"],
    ],
  );
  for (const t of tunnels) {
    assert.equal(t.tunnelIkeConfig.psk, "psk");
    assert.deepEqual([t.tunnelIkeConfig.ikePfs, t.tunnelIpsecConfig.ipsecPfs], ["group14", "group14"]);
  }
});

// Cybersecurity Law of the PRC, Article 21(3): network logs kept no less than six months (MLPS 2.0 level 3).
test("log retention under six months is refused on alicloud, naming the key", () => {
  const issues = alicloudConfigIssues({ cluster: { auditLogRetentionDays: 90, privateAccessCidrs: ["10.0.0.0/24"] } });
  assert.deepEqual(
    issues.map((i) => [i.key, i.value]),
    [["warbler:cluster.auditLogRetentionDays", 90]],
  );
  assert.deepEqual(alicloudConfigIssues({ cluster: { auditLogRetentionDays: 180 } }), []);
});

// CLB TCP listeners: EstablishedTimeout 10 to 900 s (annotation established-timeout, ACK "Use annotations to configure
// CLB instances"); backend-type "eni" puts Terway pods behind the listeners (ACK CCM release notes).
test("TCP listeners keep idle connections the CLB maximum and put the pods, not the nodes, behind them", () => {
  const lb = loadBalancerAnnotations(["eu-central-1a", "eu-central-1b"]);
  const prefix = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer";
  assert.equal(lb.tcpIdleTimeoutSeconds, 900);
  assert.equal(lb.tcpAnnotations[`${prefix}-established-timeout`], "900");
  assert.equal(lb.tcpAnnotations["service.beta.kubernetes.io/backend-type"], "eni");
  assert.equal(lb.udpAnnotations["service.beta.kubernetes.io/backend-type"], "eni");
  assert.deepEqual([lb.clientAddress, lb.externalTrafficPolicy], ["source", "Local"]);
});
