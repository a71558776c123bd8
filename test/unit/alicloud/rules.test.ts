import assert from "node:assert/strict";
import { test } from "node:test";
import { lifecycleRules } from "../../../components/alicloud/bucket";
import { alicloudConfigIssues } from "../../../components/alicloud/config-rules";
import { tlsOnlyHbaRules } from "../../../components/alicloud/database";
import { loadBalancerAnnotations } from "../../../components/alicloud/load-balancer";
import { encodeUserData, sysctlUserData } from "../../../components/alicloud/node-pool";
import {
  kmsKeyArn,
  rrsaTrustPolicy,
  tlsOnlyBucketPolicy,
  workloadAccessPolicy,
} from "../../../components/alicloud/permissions";
import { clusterVersions, databaseVersions } from "../../../components/alicloud/versions";
import { planZones, regionZones } from "../../../components/alicloud/zones";
import { kitDescriptors } from "../../../components/kits";
import { kubernetesVersions } from "../../../config/clouds";
import { ConfigError, loadConfig } from "../../../config/load";
import { regions } from "../../../config/regions";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { imNodeSysctls, imSysctlFile } from "../../../lib/node-tuning";

const example = loadConfig(readStackFile("alicloud").config, { cloudRules: kitDescriptors }) as PlatformConfig;
const withOverrides = (overrides: Record<string, unknown>) =>
  loadConfig({ ...readStackFile("alicloud").config, ...overrides }, { cloudRules: kitDescriptors }) as PlatformConfig;

test("every alicloud region the config schema accepts has a zone table, with zones of that region", () => {
  for (const region of regions.alicloud) {
    const zones = regionZones[region];
    assert.ok(zones && zones.length >= 2, region);
    for (const zone of zones) assert.ok(zone.startsWith(region), `${zone} is not in ${region}`);
  }
  assert.deepEqual(planZones("eu-central-1", 3), ["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
  assert.throws(() => planZones("eu-west-1", 3), /'zones' \(3\) must be 1 to 2 in eu-west-1/);
  assert.throws(() => planZones("xx-nowhere-1", 1), /'region' \("xx-nowhere-1"\) has no zone table/);
});

test("the example stack passes the kit's own checks", () => {
  assert.deepEqual(alicloudConfigIssues(example), []);
});

test("a public API allow-list is rejected, naming the key and the values", () => {
  const issues = alicloudConfigIssues({
    ...example,
    cluster: { ...example.cluster, publicAccessCidrs: ["203.0.113.0/24"] },
  });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].key, "warbler:cluster.publicAccessCidrs");
  assert.deepEqual(issues[0].value, ["203.0.113.0/24"]);
  assert.match(issues[0].message, /is not supported by the alicloud kit yet/);
});

test("three zones in a two-zone region are rejected together with every other problem", () => {
  const issues = alicloudConfigIssues({
    ...example,
    region: "eu-west-1",
    cluster: { ...example.cluster, publicAccessCidrs: ["203.0.113.0/24"] },
  });
  assert.deepEqual(issues.map((i) => i.key).sort(), ["warbler:cluster.publicAccessCidrs", "warbler:network.zones"]);
  assert.match(issues.find((i) => i.key === "warbler:network.zones")!.message, /at most 2/);
});

test("a zone count the schema refuses is named once, by the schema, not again by the kit", () => {
  for (const zones of [7, 1, 2.5]) {
    assert.deepEqual(
      alicloudConfigIssues({ ...example, region: "eu-west-1", network: { ...example.network, zones } }),
      [],
    );
    assert.throws(
      () => withOverrides({ "warbler:region": "eu-west-1", "warbler:network": { zones } }),
      (err: unknown) =>
        err instanceof ConfigError && err.issues.filter((i) => i.key === "warbler:network.zones").length === 1,
    );
  }
});

test("the stack config schema applies the kit's rules at the edge, before any resource", () => {
  assert.throws(
    () =>
      withOverrides({ "warbler:region": "eu-west-1", "warbler:cluster": { publicAccessCidrs: ["203.0.113.0/24"] } }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.issues.some(
        (i) =>
          i.key === "warbler:cluster.publicAccessCidrs" && /is not supported by the alicloud kit yet/.test(i.message),
      ) &&
      err.issues.some((i) => i.key === "warbler:network.zones"),
  );
});

// EKS access entries are AWS's (config/schema.ts `cluster.adminPrincipals`); ACK grants RAM identities access
// through its own RBAC authorization, so an ARN list here would be silently ignored.
test("cluster.adminPrincipals is refused on alicloud, naming the key, the value and the RAM alternative", () => {
  const arns = ["arn:aws:iam::123456789012:role/ops"];
  const issues = alicloudConfigIssues({ ...example, cluster: { ...example.cluster, adminPrincipals: arns } });
  assert.equal(issues.length, 1);
  assert.equal(issues[0].key, "warbler:cluster.adminPrincipals");
  assert.deepEqual(issues[0].value, arns);
  assert.match(issues[0].message, /is for aws only/);
  assert.match(issues[0].message, /RAM/);
  const raw = structuredClone(readStackFile("alicloud").config);
  raw["warbler:cluster"] = { ...(raw["warbler:cluster"] as object), adminPrincipals: arns };
  assert.throws(
    () => loadConfig(raw, { cloudRules: kitDescriptors }),
    (err: unknown) => err instanceof ConfigError && err.issues.some((i) => i.key === "warbler:cluster.adminPrincipals"),
  );
});

test("every Kubernetes minor of the schema is pinned to an exact ACK release of that minor", () => {
  for (const minor of kubernetesVersions) {
    assert.match(clusterVersions[minor], new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+-aliyun\\.\\d+$`));
  }
  assert.deepEqual(databaseVersions, { "16": "16.0", "17": "17.0" });
});

test("the node boot script sets and persists every IM kernel setting", () => {
  const script = sysctlUserData();
  for (const [key, value] of Object.entries(imNodeSysctls)) assert.ok(script.includes(`${key} = ${value}\n`), key);
  assert.ok(script.includes(`sysctl -p ${imSysctlFile}`));
  assert.equal(Buffer.from(encodeUserData(script), "base64").toString("utf8"), script);
});

test("pg_hba refuses every non-SSL connection before it admits SSL ones from the VPC", () => {
  const rules = tlsOnlyHbaRules("10.40.0.0/16");
  const ordered = [...rules].sort((a, b) => a.priorityId - b.priorityId);
  assert.deepEqual(ordered[0], {
    priorityId: 0,
    type: "hostnossl",
    database: "all",
    user: "all",
    address: "0.0.0.0/0",
    method: "reject",
  });
  assert.ok(ordered.slice(1).every((r) => r.type === "hostssl" && r.address === "10.40.0.0/16"));
});

test("lifecycle rules expire old versions, and current files only when configured", () => {
  assert.deepEqual(
    lifecycleRules(30, 0).map((r) => r.id),
    ["noncurrent-versions"],
  );
  assert.deepEqual(lifecycleRules(30, 0)[0].noncurrentVersionExpirations, [{ days: 30 }]);
  const expiring = lifecycleRules(10, 400);
  assert.deepEqual(
    expiring.map((r) => r.id),
    ["noncurrent-versions", "expire-files"],
  );
  assert.deepEqual(expiring[1].expirations, [{ days: 400 }]);
});

test("the bucket policy denies every request that does not use HTTPS", () => {
  const policy = JSON.parse(tlsOnlyBucketPolicy("files"));
  assert.equal(policy.Statement.length, 1);
  const [deny] = policy.Statement;
  assert.equal(deny.Effect, "Deny");
  assert.deepEqual(deny.Action, ["oss:*"]);
  assert.deepEqual(deny.Resource, ["acs:oss:*:*:files", "acs:oss:*:*:files/*"]);
  assert.deepEqual(deny.Condition, { Bool: { "acs:SecureTransport": ["false"] } });
});

test("the RRSA trust policy admits only the upload service's ServiceAccount through the OIDC provider", () => {
  const trust = JSON.parse(
    rrsaTrustPolicy("acs:ram::1:oidc-provider/ack-rrsa-c1", "https://oidc.example/c1", "warbler-im", "warbler-upload"),
  );
  const [statement] = trust.Statement;
  assert.deepEqual(statement.Principal, { Federated: ["acs:ram::1:oidc-provider/ack-rrsa-c1"] });
  assert.deepEqual(statement.Condition.StringEquals, {
    "oidc:aud": "sts.aliyuncs.com",
    "oidc:iss": "https://oidc.example/c1",
    "oidc:sub": "system:serviceaccount:warbler-im:warbler-upload",
  });
});

/*
 * What the upload service calls on OSS, and the RAM action Alibaba documents for each call:
 * - PutObject: oss:PutObject, plus kms:GenerateDataKey and kms:Decrypt when the request sets
 *   X-Oss-Server-Side-Encryption: KMS (https://www.alibabacloud.com/help/en/oss/developer-reference/put-object);
 *   InitiateMultipartUpload is authorized as oss:PutObject, with the same two KMS actions
 *   (https://alibabacloud.com/help/en/oss/developer-reference/initiatemultipartupload).
 * - GetObject: oss:GetObject, plus kms:Decrypt when the object is KMS-encrypted
 *   (https://www.alibabacloud.com/help/en/oss/developer-reference/download-objects-as-files-2).
 * - HeadObject and GetObjectMeta: oss:GetObject
 *   (https://www.alibabacloud.com/help/zh/oss/developer-reference/head-object,
 *   https://help.aliyun.com/zh/oss/developer-reference/get-object-meta).
 * - DeleteObject: oss:DeleteObject (https://www.alibabacloud.com/help/en/oss/developer-reference/delete-object).
 * - ListObjects / ListObjectsV2: oss:ListObjects on the bucket
 *   (https://www.alibabacloud.com/help/en/oss/developer-reference/list-objects-v2-get-bucket-v2).
 * Action names and resource forms: https://www.alibabacloud.com/help/en/oss/user-guide/ram-policy-overview.
 */
test("the workload policy allows exactly the upload service's object calls on its bucket and SSE-KMS", () => {
  const keyArn = kmsKeyArn("eu-central-1", "key-1");
  const policy = JSON.parse(workloadAccessPolicy("files", keyArn));
  assert.deepEqual(policy.Statement, [
    {
      Effect: "Allow",
      Action: ["oss:GetObject", "oss:PutObject", "oss:DeleteObject", "oss:AbortMultipartUpload", "oss:ListParts"],
      Resource: ["acs:oss:*:*:files/*"],
    },
    { Effect: "Allow", Action: ["oss:ListObjects", "oss:GetBucketInfo"], Resource: ["acs:oss:*:*:files"] },
    // Only what SSE-KMS needs: no kms:Encrypt, no kms:DescribeKey.
    { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [keyArn] },
  ]);
});

test("the workload policy names only its bucket and its key, without wildcards over services", () => {
  const keyArn = kmsKeyArn("eu-central-1", "key-1");
  const policy = JSON.parse(workloadAccessPolicy("files", keyArn));
  const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
  assert.deepEqual(resources.sort(), ["acs:kms:eu-central-1:*:key/key-1", "acs:oss:*:*:files", "acs:oss:*:*:files/*"]);
  const actions: string[] = policy.Statement.flatMap((s: { Action: string[] }) => s.Action);
  assert.ok(
    actions.every((a) => !a.endsWith("*")),
    actions.join(","),
  );
});

test("load balancer annotations put TCP and UDP services on an internet CLB spanning two zones", () => {
  const zones = ["eu-central-1a", "eu-central-1b", "eu-central-1c"];
  const prefix = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer";
  const { tcpAnnotations, udpAnnotations } = loadBalancerAnnotations(zones);
  for (const annotations of [tcpAnnotations, udpAnnotations]) {
    assert.equal(annotations[`${prefix}-address-type`], "internet");
    assert.equal(annotations[`${prefix}-master-zoneid`], "eu-central-1a");
    assert.equal(annotations[`${prefix}-slave-zoneid`], "eu-central-1b");
  }
  assert.equal(tcpAnnotations[`${prefix}-health-check-type`], "tcp");
});
