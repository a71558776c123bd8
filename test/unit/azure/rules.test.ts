import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { lifecycleRules } from "../../../components/azure/bucket";
import { postgresCaBundle } from "../../../components/azure/ca-bundle";
import { dnsServiceIp } from "../../../components/azure/cluster";
import { azureConfigIssues } from "../../../components/azure/config-rules";
import { planAzureNetwork } from "../../../components/azure/layout";
import { aksSysctls, unsupportedOnAks } from "../../../components/azure/node-pool";
import { databaseSubnetRules } from "../../../components/azure/nsg-rules";
import { clusterVersions, databaseVersions } from "../../../components/azure/versions";
import { kitDescriptors } from "../../../components/kits";
import { kubernetesVersions, postgresVersions } from "../../../config/clouds";
import { ConfigError, loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { contains, overlaps, parseCidr } from "../../../lib/cidr";
import { imNodeSysctls } from "../../../lib/node-tuning";
import { exampleRawConfig } from "../../support/stack-config";

const networkCidr = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 20 }))
  .map(([a, b, prefix]) => {
    const base = ((10 * 256 + a) * 256 + b) * 65536;
    const aligned = base - (base % 2 ** (32 - prefix));
    return `${[24, 16, 8, 0].map((s) => Math.floor(aligned / 2 ** s) % 256).join(".")}/${prefix}`;
  });

test("the API server subnet is a /28 inside the VNet that overlaps no zone subnet and not the gateway block", () => {
  fc.assert(
    fc.property(networkCidr, fc.integer({ min: 1, max: 3 }), (cidr, zones) => {
      const plan = planAzureNetwork(cidr, zones);
      const api = parseCidr(plan.apiServer)!;
      assert.equal(api.prefix, 28);
      assert.ok(contains(parseCidr(cidr)!, api));
      const taken = [...plan.zones.flatMap((z) => [z.private, z.database, z.public]), plan.gateway].map(
        (c) => parseCidr(c)!,
      );
      assert.ok(
        taken.every((t) => !overlaps(t, api)),
        `${plan.apiServer} overlaps in ${cidr}`,
      );
    }),
    { numRuns: 200 },
  );
});

test("the example network keeps the shared zone layout", () => {
  const plan = planAzureNetwork("10.30.0.0/16", 3);
  assert.deepEqual(
    plan.zones.map((z) => z.private),
    ["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19"],
  );
  assert.equal(plan.apiServer, "10.30.96.0/28");
  assert.equal(plan.gateway, "10.30.240.0/20");
});

test("every IM sysctl AKS has a field for is set to the same value; only tcp_rmem/tcp_wmem are left out", () => {
  const sysctls = aksSysctls() as Record<string, unknown>;
  assert.deepEqual(unsupportedOnAks.sort(), ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]);
  assert.equal(Object.keys(sysctls).length, Object.keys(imNodeSysctls).length - unsupportedOnAks.length);
  assert.equal(sysctls.fsFileMax, Number(imNodeSysctls["fs.file-max"]));
  assert.equal(sysctls.netCoreSomaxconn, Number(imNodeSysctls["net.core.somaxconn"]));
  assert.equal(sysctls.netIpv4IpLocalPortRange, imNodeSysctls["net.ipv4.ip_local_port_range"]);
  assert.equal(sysctls.netNetfilterNfConntrackMax, Number(imNodeSysctls["net.netfilter.nf_conntrack_max"]));
});

test("database subnets accept PostgreSQL only from node subnets and deny the rest of the VNet", () => {
  const zones = planAzureNetwork("10.30.0.0/16", 3).zones;
  const rules = databaseSubnetRules(zones);
  const pg = rules.find((r) => r.name === "allow-postgres-from-nodes")!;
  assert.equal(pg.destinationPortRange, "5432");
  assert.deepEqual(
    pg.sourceAddressPrefixes,
    zones.map((z) => z.private),
  );
  const deny = rules.find((r) => r.access === "Deny")!;
  assert.equal(deny.sourceAddressPrefix, "VirtualNetwork");
  assert.ok(rules.filter((r) => r.access === "Allow").every((r) => r.priority < deny.priority));
  assert.ok(rules.every((r) => r.sourceAddressPrefix !== "Internet" && r.sourceAddressPrefix !== "*"));
});

test("lifecycle rules expire old versions after the configured days and files only when asked", () => {
  const keep = lifecycleRules(30, 0);
  assert.equal(keep.length, 1);
  assert.deepEqual(keep[0].definition, {
    filters: { blobTypes: ["blockBlob"] },
    actions: { version: { delete: { daysAfterCreationGreaterThan: 30 } } },
  });
  const expire = lifecycleRules(7, 365);
  assert.equal(expire.length, 2);
  assert.deepEqual(expire[1].definition, {
    filters: { blobTypes: ["blockBlob"] },
    actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 365 } } },
  });
});

test("CoreDNS gets the tenth address of the Service range", () => {
  assert.equal(dnsServiceIp("172.20.0.0/16"), "172.20.0.10");
  assert.throws(() => dnsServiceIp("nope"), /'serviceCidr' \(nope\)/);
});

test(
  "the PostgreSQL CA bundle holds the real Azure roots: DigiCert Global Root G2, Microsoft RSA Root 2017, " +
    "DigiCert Global Root CA",
  () => {
    const pem = postgresCaBundle();
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    assert.equal(blocks.length, 3);
    assert.equal(
      blocks.reduce((rest, b) => rest.replace(b, ""), pem).trim(),
      "",
      "only PEM blocks, no explanatory text",
    );
    const certs = blocks.map((b) => new X509Certificate(b));
    const subjects = certs.map((c) => c.subject);
    assert.ok(subjects.some((s) => s.includes("CN=DigiCert Global Root G2")));
    assert.ok(subjects.some((s) => s.includes("CN=Microsoft RSA Root Certificate Authority 2017")));
    assert.ok(subjects.some((s) => s.includes("CN=DigiCert Global Root CA")));
    for (const cert of certs) {
      assert.ok(cert.ca, `${cert.subject} is a CA`);
      assert.equal(cert.subject, cert.issuer, "a self-signed root");
      assert.ok(cert.verify(cert.publicKey), "its self-signature verifies");
    }
    assert.equal(
      certs.find((c) => c.subject.includes("Global Root G2"))!.fingerprint256,
      "CB:3C:CB:B7:60:31:E5:E0:13:8F:8D:D3:9A:23:F9:DE:47:FF:C3:5E:43:C1:14:4C:EA:27:D4:6A:5A:B1:CB:5F",
    );
  },
);

test("every schema version maps to what AKS and Flexible Server take: the minor and the major alone", () => {
  for (const minor of kubernetesVersions) assert.equal(clusterVersions[minor], minor);
  for (const major of postgresVersions) assert.equal(databaseVersions[major], major);
});

// EKS access entries are AWS's (config/schema.ts `cluster.adminPrincipals`); the azure kit grants cluster admin to
// the deployer through an Azure RBAC role assignment, so an ARN list here would be silently ignored.
test("cluster.adminPrincipals is refused on azure, naming the key, the value and the Azure alternative", () => {
  const arns = ["arn:aws:iam::123456789012:role/ops"];
  const raw = exampleRawConfig("azure");
  const example = loadConfig(raw, { cloudRules: kitDescriptors }) as PlatformConfig;
  assert.deepEqual(azureConfigIssues(example), []);
  const issues = azureConfigIssues({ ...example, cluster: { ...example.cluster, adminPrincipals: arns } });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].key, "warbler:cluster.adminPrincipals");
  assert.deepEqual(issues[0].value, arns);
  assert.match(issues[0].message, /is for aws only/);
  assert.match(issues[0].message, /cluster\.azurePrincipalType/);
  raw["warbler:cluster"] = { ...(raw["warbler:cluster"] as object), adminPrincipals: arns };
  assert.throws(
    () => loadConfig(raw, { cloudRules: kitDescriptors }),
    (err: unknown) => err instanceof ConfigError && err.issues.some((i) => i.key === "warbler:cluster.adminPrincipals"),
  );
});
