import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { alicloudConfigIssues } from "../../../components/alicloud/config-rules";
import {
  CLB_MAX_CONNECTIONS,
  imClientLoadBalancer,
  NLB_MAX_CONNECTIONS,
  nlbClientAnnotations,
  nlbLoadBalancerClass,
  zoneMaps,
} from "../../../components/alicloud/load-balancer";
import { alicloudMocks } from "../../../components/alicloud/mocks";
import { containerdLimits, ejabberdPoolArgs, nodePoolArgs } from "../../../components/alicloud/node-pool";
import { imNodeSizes, imNodeType, maxImSessionsPerNode, r7Family } from "../../../components/alicloud/sizes";
import { kitDescriptors } from "../../../components/kits";
import { keepaliveSilenceSeconds } from "../../../config/im";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import {
  erlangLimits,
  imMaxOpenFiles,
  imSizing,
  memoryOptimisedShapes,
  shapeKey,
  sizingPolicy,
} from "../../../lib/im-sizing";
import { imNodeSysctls } from "../../../lib/node-tuning";

const example = loadConfig(readStackFile("alicloud").config, { cloudRules: kitDescriptors }) as PlatformConfig;
const withIm = (im: Record<string, unknown>) => ({ ...example, im: { ...example.im, ...im } }) as PlatformConfig;
const issueKeys = (config: PlatformConfig) => alicloudConfigIssues(config).map((i) => i.key);

// "Memory optimized instance families", r7 table (AlibabaCloudDocs/ecs, intl.en-US/Instance/Instance type families/
// Memory optimized instance families/Memory optimized instance families.md): vCPU, memory and Connections per type.
test("the r7 table is the documented one: vCPU, memory and connection limit of every type", () => {
  assert.deepEqual(
    r7Family.map((m) => `${m.type} ${m.vcpu}x${m.memoryGiB} ${m.connections}`),
    [
      "ecs.r7.large 2x16 250000",
      "ecs.r7.xlarge 4x32 250000",
      "ecs.r7.2xlarge 8x64 250000",
      "ecs.r7.3xlarge 12x96 250000",
      "ecs.r7.4xlarge 16x128 300000",
      "ecs.r7.6xlarge 24x192 450000",
      "ecs.r7.8xlarge 32x256 600000",
      "ecs.r7.16xlarge 64x512 1200000",
      "ecs.r7.32xlarge 128x1024 2400000",
    ],
  );
  for (const m of r7Family) assert.equal(m.memoryGiB, m.vcpu * 8, `${m.type} is 1:8`);
  assert.equal(maxImSessionsPerNode, 2_400_000);
});

test("every memory-optimised shape maps to the ecs.r7 type of exactly its vCPU and memory", () => {
  assert.deepEqual(Object.keys(imNodeSizes).sort(), memoryOptimisedShapes.map(shapeKey).sort());
  for (const shape of memoryOptimisedShapes) {
    const { type, vcpu, memoryGiB } = imNodeSizes[shapeKey(shape)];
    assert.deepEqual({ vcpu, memoryGiB }, { vcpu: shape.vcpu, memoryGiB: shape.memoryGiB }, type);
    assert.match(type, /^ecs\.r7\.\d*x?large$/);
  }
  assert.equal(imNodeSizes["16x128"].type, "ecs.r7.4xlarge");
});

test("the ejabberd node is the smallest r7 type holding both the sized memory and every session's connection", () => {
  assert.deepEqual(
    [1_000, 100_000, 250_000, 260_000, 500_000, 1_000_000, 2_000_000].map((n) => imNodeType(n, 3)?.type),
    [
      "ecs.r7.large",
      "ecs.r7.large",
      "ecs.r7.xlarge",
      "ecs.r7.4xlarge", // 4x32 holds the memory, but its 250,000 connections do not hold 260,000 sessions
      "ecs.r7.8xlarge",
      "ecs.r7.16xlarge", // 16x128 holds the memory; 1,000,000 connections need the 1,200,000 of 16xlarge
      "ecs.r7.32xlarge",
    ],
  );
  const { minSessions, maxSessions } = sizingPolicy;
  fc.assert(
    fc.property(fc.integer({ min: minSessions, max: maxSessions }), (sessions) => {
      const chosen = imNodeType(sessions, 3);
      assert.ok(chosen, `no r7 type for ${sessions}`);
      const { node } = imSizing(sessions, 3);
      assert.ok(chosen.connections >= sessions && chosen.memoryGiB >= node.memoryGiB && chosen.vcpu >= node.vcpu);
      const smaller = r7Family.slice(0, r7Family.indexOf(chosen));
      assert.ok(smaller.every((m) => m.connections < sessions || m.memoryGiB < node.memoryGiB || m.vcpu < node.vcpu));
    }),
  );
});

test("plan refuses sessions per instance above the largest r7 connection limit, naming key, value and limit", () => {
  assert.deepEqual(issueKeys(withIm({ sessionsPerInstance: 2_000_000 })), []);
  const [issue] = alicloudConfigIssues(withIm({ sessionsPerInstance: 2_400_001 }));
  assert.equal(issue.key, "warbler:im.sessionsPerInstance");
  assert.equal(issue.value, 2_400_001);
  assert.match(issue.message, /at most 2400000 .*ecs\.r7\.32xlarge/);
});

// FAQ about CLB instances (alibabacloud.com/help/doc-detail/85939.htm): Super Large I (slb.s3.large), the largest
// specification, holds 1,000,000 connections, one default instance's worth; What is NLB?: "up to 100 million
// concurrent connections". ACK "Configure NLB instances by using annotations": spec.loadBalancerClass is immutable, and
// CLB and NLB instances cannot be converted to each other, so the client Service starts on the NLB whatever its size.
test("the client Service is always on an NLB: one CLB holds one instance at most and could never become one", () => {
  assert.equal(CLB_MAX_CONNECTIONS, 1_000_000);
  assert.equal(NLB_MAX_CONNECTIONS, 100_000_000);
  assert.equal(imClientLoadBalancer(["a", "b"], ["vsw-a", "vsw-b"]).loadBalancerClass, nlbLoadBalancerClass);
});

test("plan refuses more sessions in all than one NLB holds, naming the replicas and the limit", () => {
  assert.deepEqual(issueKeys(withIm({ replicas: 50, sessionsPerInstance: 2_000_000 })), []);
  const issues = alicloudConfigIssues(withIm({ replicas: 51, sessionsPerInstance: 2_000_000 }));
  assert.deepEqual(
    issues.map((i) => [i.key, i.value]),
    [["warbler:im.replicas", 51]],
  );
  assert.match(issues[0].message, /at most 100000000 .*one NLB/);
});

// ACK "Configure NLB instances by using annotations": zone-maps "cn-hangzhou-k:vsw-...,cn-hangzhou-j:vsw-...", at
// least two zones; loadBalancerClass alibabacloud.com/nlb (else a CLB is created); idle-timeout 10 to 900.
// cloud-provider-alibaba-cloud nlbv2/server_groups.go: preserve-client-ip is compared with "on".
test("the NLB spans each zone's public vSwitch, keeps client addresses, idles longer than keepalives", async () => {
  assert.equal(zoneMaps(["z-a", "z-b"], ["vsw-1", "vsw-2"]), "z-a:vsw-1,z-b:vsw-2");
  assert.throws(() => zoneMaps(["z-a"], ["vsw-1"]), /at least two zones/);
  assert.throws(() => zoneMaps(["z-a", "z-b"], ["vsw-1"]), /got zones \[z-a, z-b\] and 1 vSwitches/);
  const annotations = nlbClientAnnotations(["z-a", "z-b", "z-c"], ["vsw-1", "vsw-2", "vsw-3"]);
  const prefix = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer";
  assert.equal(annotations[`${prefix}-preserve-client-ip`], "on");
  assert.equal(annotations[`${prefix}-address-type`], "internet");
  assert.equal(annotations["service.beta.kubernetes.io/backend-type"], "eni");
  const idle = Number(annotations[`${prefix}-idle-timeout`]);
  assert.ok(idle > keepaliveSilenceSeconds && idle <= 900, `idle-timeout ${idle}`);
  const maps = annotations[`${prefix}-zone-maps`];
  assert.equal(typeof maps, "object", "the vSwitch ids are Outputs");
  const resolved = await new Promise((resolve) => (maps as { apply: (f: (v: string) => void) => void }).apply(resolve));
  assert.equal(resolved, "z-a:vsw-1,z-b:vsw-2,z-c:vsw-3");
});

const poolArgs = { clusterId: "c", vswitchIds: ["a", "b", "c"], securityGroupId: "sg", keyId: "k", tags: {} };

test("the ejabberd pool is labelled and tainted for ejabberd alone, and scales from its replicas to one more", () => {
  const pool = ejabberdPoolArgs(3, "ecs.r7.16xlarge", poolArgs);
  assert.equal(pool.nodePoolName, "ejabberd");
  assert.deepEqual(pool.instanceTypes, ["ecs.r7.16xlarge"]);
  assert.deepEqual(pool.labels, [{ key: "warbler.io/pool", value: "ejabberd" }]);
  assert.deepEqual(pool.taints, [{ key: "warbler.io/dedicated", value: "ejabberd", effect: "NoSchedule" }]);
  // cs/nodePool.d.ts, scalingConfig.maxSize: "`maxSize` has to be greater than `minSize`".
  assert.deepEqual(pool.scalingConfig, { enable: true, minSize: 3, maxSize: 4, type: "cpu" });
  assert.throws(() => ejabberdPoolArgs(0, "ecs.r7.large", poolArgs), /'replicas' \(0\) must be a positive integer/);
  assert.throws(() => ejabberdPoolArgs(3, "ecs.g7.large", poolArgs), /'instanceType' \("ecs.g7.large"\)/);
});

test("the ejabberd pool has the disks, key, security group, hardening and boot script of the other pools", () => {
  const ejabberd = ejabberdPoolArgs(3, "ecs.r7.4xlarge", poolArgs);
  const im = nodePoolArgs({ name: "im", size: "large", min: 3, max: 6 }, poolArgs);
  for (const field of [
    "securityGroupIds",
    "systemDiskEncrypted",
    "systemDiskKmsKey",
    "dataDisks",
    "securityHardeningOs",
    "instanceMetadataOptions",
    "preUserData",
    "multiAzPolicy",
    "vswitchIds",
  ] as const)
    assert.deepEqual(ejabberd[field], im[field], field);
  assert.equal(ejabberd.systemDiskKmsKey, "k");
});

// cs/nodePool.d.ts NodePoolContainerdConfig.limitNoFile: "The maximum number of file handles", a canonical decimal
// string from "1024"; ACK "Customize the containerd configuration of a node pool" (containerd 1.6.20 or later).
test("containerd hands the ejabberd container the open files the largest instance needs, within fs.nr_open", () => {
  const { limitNoFile } = containerdLimits();
  assert.match(limitNoFile, /^[1-9]\d*$/);
  assert.equal(Number(limitNoFile), imMaxOpenFiles);
  assert.ok(Number(limitNoFile) >= erlangLimits(sizingPolicy.maxSessions).maxOpenFiles);
  assert.ok(Number(limitNoFile) <= Number(imNodeSysctls["fs.nr_open"]), "a process cannot exceed fs.nr_open");
  assert.deepEqual(ejabberdPoolArgs(3, "ecs.r7.4xlarge", poolArgs).containerdConfig, { limitNoFile: "2097152" });
});

// The mocks answer as the provider does (cs/nodePool.d.ts): maxSize above minSize, limitNoFile a canonical decimal
// string from "1024"; a taint effect Kubernetes knows.
test("the offline plan refuses the node pools the provider would refuse, and accepts the ejabberd pool", () => {
  const make = alicloudMocks.resources["alicloud:cs/nodePool:NodePool"];
  const ctx = {} as Parameters<typeof make>[1];
  const plan = (inputs: Record<string, unknown>) => () =>
    make({ type: "alicloud:cs/nodePool:NodePool", name: "p", inputs, custom: true } as Parameters<typeof make>[0], ctx);
  const ejabberd = { ...ejabberdPoolArgs(3, "ecs.r7.16xlarge", poolArgs) } as Record<string, unknown>;
  assert.doesNotThrow(plan(ejabberd));
  assert.throws(plan({ ...ejabberd, scalingConfig: { enable: true, minSize: 3, maxSize: 3 } }), /greater than minSize/);
  assert.throws(plan({ ...ejabberd, containerdConfig: { limitNoFile: "02048" } }), /limitNoFile 02048 is invalid/);
  assert.throws(plan({ ...ejabberd, containerdConfig: { limitNoFile: "512" } }), /limitNoFile 512 is invalid/);
  assert.throws(plan({ ...ejabberd, taints: [{ key: "k", effect: "Never" }] }), /taint effect Never/);
});
