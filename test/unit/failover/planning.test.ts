import assert from "node:assert/strict";
import { test } from "node:test";
import { parseVnetId } from "../../../components/azure/vpn";
import { failoverHosts, recordType, worstCaseDetectionSeconds } from "../../../components/failover/dns-plan";
import { rcloneArgs, rcloneRemoteEnv, secretEnvNames, targetAuth } from "../../../components/failover/file-sync-plan";
import { replicationParameters } from "../../../components/failover/server-parameters";
import { linkProblems } from "../../../components/failover/vpn-plan";
import { kitDescriptors, kitFor } from "../../../components/kits";
import { type Cloud, clouds, dnsProviderCloud } from "../../../config/clouds";
import { type ConfigError, loadConfig } from "../../../config/load";
import { readStackFile } from "../../../config/stack-file";

test(
  "worst-case detection is interval x threshold plus the probe timeout, and users may follow the old answer for " +
    "one TTL more",
  () => {
    const table = [
      { provider: "route53", intervalSeconds: 10, failureThreshold: 3, ttl: 30, detect: 40, total: 70 },
      { provider: "route53", intervalSeconds: 30, failureThreshold: 3, ttl: 60, detect: 100, total: 160 },
      { provider: "traffic-manager", intervalSeconds: 10, failureThreshold: 3, ttl: 30, detect: 35, total: 65 },
      { provider: "alidns-gtm", intervalSeconds: 10, failureThreshold: 3, ttl: 30, detect: 185, total: 215 },
    ] as const;
    for (const row of table) {
      assert.deepEqual(
        worstCaseDetectionSeconds(row, kitFor(dnsProviderCloud[row.provider]).dnsFailover),
        { detectSeconds: row.detect, totalSeconds: row.total },
        `${row.provider} ${row.intervalSeconds}s`,
      );
    }
  },
);

test("the failover host names are the WebSocket apex, uploads and the XMPP client host", () => {
  assert.deepEqual(
    failoverHosts("chat.example.com", "example.com").map((h) => [h.host, h.label, h.endpoint]),
    [
      ["chat.example.com", "chat", "ingress"],
      ["upload.chat.example.com", "upload.chat", "ingress"],
      ["xmpp.chat.example.com", "xmpp.chat", "clients"],
    ],
  );
});

test(
  "a failover pair shares one record type; mixing an IP and a host name, or a CNAME at the apex, is refused " +
    "with the fix",
  () => {
    const [apex, upload] = failoverHosts("chat.example.com", "chat.example.com");
    assert.equal(recordType(upload, "203.0.113.4", "198.51.100.7"), "A");
    assert.equal(recordType(upload, "a.elb.amazonaws.com", "b.cloudapp.azure.com"), "CNAME");
    assert.throws(() => recordType(upload, "a.elb.amazonaws.com", "198.51.100.7"), /warbler:dns\.addresses/);
    assert.throws(() => recordType(apex, "a.elb.amazonaws.com", "b.cloudapp.azure.com"), /zone apex/);
  },
);

test("a host name the DNS provider can alias is an A record: it pairs with an IP, and may sit at the apex", () => {
  const [apex, upload] = failoverHosts("chat.example.com", "chat.example.com");
  const nlb = "k8s-warbleri-ejabberd-0123456789-0123456789abcdef.elb.eu-central-1.amazonaws.com";
  const canAlias = (name: string) => name === nlb;
  assert.equal(recordType(upload, nlb, "198.51.100.7", canAlias), "A");
  assert.equal(recordType(apex, "198.51.100.7", nlb, canAlias), "A");
  assert.throws(() => recordType(apex, nlb, "b.cloudapp.azure.com", canAlias), /cannot alias/);
});

test("overlapping or malformed link ranges are reported with the key and the value", () => {
  assert.deepEqual(linkProblems({ localCidr: "10.20.0.0/16", peerCidr: "10.30.0.0/16" }), []);
  assert.match(
    linkProblems({ localCidr: "10.20.0.0/16", peerCidr: "10.20.128.0/17" })[0],
    /'failover\.peer\.cidr' \("10\.20\.128\.0\/17"\) overlaps 'network\.cidr' \("10\.20\.0\.0\/16"\)/,
  );
  assert.match(linkProblems({ localCidr: "10.20.0.0/16", peerCidr: "10.30.0.1/16" })[0], /host bits/);
});

test("each cloud has its own logical-replication parameter and grant; no parameter without a failover role", () => {
  const params = (cloud: Cloud, role: "primary" | "standby" | "none") =>
    replicationParameters(kitFor(cloud).replication.serverParameters, { role }).map((p) => `${p.name}=${p.value}`);
  assert.deepEqual(params("aws", "primary"), ["rds.logical_replication=1"]);
  assert.deepEqual(params("azure", "standby"), ["wal_level=logical"]);
  assert.deepEqual(params("alicloud", "primary"), ["wal_level=logical"]);
  assert.deepEqual(params("aws", "none"), []);
  const grants = clouds.map((cloud) => kitFor(cloud).replication.dialect.replicationGrant);
  assert.deepEqual(grants, ["rds_replication role", "REPLICATION attribute", "REPLICATION attribute"]);
});

test("rclone reaches S3, OSS and Blob natively; OSS targets need keys because rclone has no RRSA", () => {
  const files = (cloud: Cloud) => kitFor(cloud).replication.files;
  const s3 = rcloneRemoteEnv("DST", { name: "b", region: "eu-central-1" }, files("aws"), "identity");
  assert.deepEqual(s3, {
    RCLONE_CONFIG_DST_TYPE: "s3",
    RCLONE_CONFIG_DST_PROVIDER: "AWS",
    RCLONE_CONFIG_DST_REGION: "eu-central-1",
    RCLONE_CONFIG_DST_ENV_AUTH: "true",
  });
  const oss = rcloneRemoteEnv("SRC", { name: "b", region: "cn-shanghai" }, files("alicloud"), "secret");
  assert.equal(oss.RCLONE_CONFIG_SRC_ENDPOINT, "oss-cn-shanghai-internal.aliyuncs.com");
  assert.equal(oss.RCLONE_CONFIG_SRC_ENV_AUTH, "false");
  const blob = rcloneRemoteEnv("DST", { name: "c", region: "westeurope", account: "acct" }, files("azure"), "identity");
  assert.equal(blob.RCLONE_CONFIG_DST_TYPE, "azureblob");
  const noAccount = () => rcloneRemoteEnv("DST", { name: "c", region: "westeurope" }, files("azure"), "identity");
  assert.throws(noAccount, /storage account/);
  assert.deepEqual(secretEnvNames("SRC", files("azure")), ["RCLONE_CONFIG_SRC_SAS_URL"]);
  assert.deepEqual(
    clouds.map((c) => targetAuth(files(c))),
    ["identity", "identity", "secret"],
  );
  const args = rcloneArgs({ name: "src", region: "r" }, { name: "dst", region: "r", account: "a" });
  assert.deepEqual(args.slice(0, 3), ["copy", "SRC:src", "DST:dst"]);
});

test("the resource group and VNet name come out of a VNet id, and anything else is refused", () => {
  assert.deepEqual(
    parseVnetId("/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.Network/virtualNetworks/vnet-1"),
    { resourceGroupName: "rg-1", virtualNetworkName: "vnet-1" },
  );
  assert.throws(() => parseVnetId("/subscriptions/s/resourceGroups/rg-1"), /not a virtual network/);
});

test(
  "stack config rejects a failover peer whose range overlaps this network, or on the same cloud, or a missing " +
    "peer",
  () => {
    const base = readStackFile("aws").config;
    const attempt = (failover: unknown) => () =>
      loadConfig({ ...base, "warbler:failover": failover }, { cloudRules: kitDescriptors });
    assert.throws(
      attempt({ role: "standby", peer: { cloud: "azure", stack: "azure", cidr: "10.20.0.0/17" } }),
      (err: ConfigError) =>
        err.issues.some((i) => i.key === "warbler:failover.peer.cidr" && /overlaps 'network\.cidr'/.test(i.message)),
    );
    assert.throws(
      attempt({ role: "primary", peer: { cloud: "aws", stack: "x", cidr: "10.30.0.0/16" } }),
      (err: ConfigError) => err.issues.some((i) => i.key === "warbler:failover.peer.cloud"),
    );
    assert.throws(attempt({ role: "primary" }), (err: ConfigError) =>
      err.issues.some((i) => i.key === "warbler:failover.peer" && /required when role is primary/.test(i.message)),
    );
  },
);

test("the global stack config rejects two sides on one cloud and a zone that cannot hold the domain", () => {
  const base = readStackFile("global").config;
  assert.throws(
    () =>
      loadConfig(
        { ...base, "warbler:secondary": { cloud: "aws", stack: "aws2" }, "warbler:dns": { zone: "example.org" } },
        { cloudRules: kitDescriptors },
      ),
    (err: ConfigError) =>
      err.issues.some((i) => i.key === "warbler:secondary.cloud") &&
      err.issues.some((i) => i.key === "warbler:dns.zone"),
  );
  const ok = loadConfig(base, { cloudRules: kitDescriptors });
  assert.equal(ok.kind, "global");
});
