import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { AWS_TURN_RELAY_MAX_PORTS } from "../../../components/aws/config-rules";
import { loadBalancerAnnotations, NLB_TCP_LISTENER_PORTS } from "../../../components/aws/load-balancer";
import {
  eksTaintEffects,
  imNodeGroupPlan,
  NODEADM_API_VERSION,
  NODEADM_CONTENT_TYPE,
  poolMachine,
  renderNodeUserData,
  renderNofileNodeConfig,
} from "../../../components/aws/node-pool";
import { imNodeSizes, nodeSizes } from "../../../components/aws/sizes";
import { imSchema } from "../../../config/im";
import { imMaxOpenFiles, imNodePool, imSizing, memoryOptimisedShapes, shapeKey } from "../../../lib/im-sizing";
import { imNodeSysctls } from "../../../lib/node-tuning";
import { configProblems, exampleRawConfig, withValue } from "../../support/stack-config";

/** The parts of a multi-part MIME document, each with its Content-Type and body. */
function mimeParts(document: string): { contentType: string; body: string }[] {
  const boundary = /boundary="([^"]+)"/.exec(document)?.[1];
  assert.ok(boundary, "a multipart/mixed document names its boundary");
  const [, ...rest] = document.split(`--${boundary}\n`);
  const last = rest.at(-1) ?? "";
  assert.ok(last.includes(`--${boundary}--`), "the document is closed");
  return rest.map((part) => {
    const clean = part.split(`--${boundary}--`)[0];
    const [head, ...body] = clean.split("\n\n");
    return { contentType: /^Content-Type: ([^;\n]+)/m.exec(head)?.[1] ?? "", body: body.join("\n\n") };
  });
}

// r7i sizes large to 8xlarge: 2/16, 4/32, 8/64, 16/128, 32/256 vCPU/GiB
// (https://docs.aws.amazon.com/ec2/latest/instancetypes/mo.html; https://aws.amazon.com/ec2/instance-types/r7i/).
test("every memory-optimised shape maps to the r7i type of exactly its vCPU and memory", () => {
  for (const shape of memoryOptimisedShapes) {
    const machine = imNodeSizes[shapeKey(shape)];
    assert.deepEqual({ vcpu: machine.vcpu, memoryGiB: machine.memoryGiB }, shape, shapeKey(shape));
    assert.match(machine.type, /^r7i\.(large|\d*xlarge)$/);
  }
  assert.deepEqual(Object.keys(imNodeSizes).sort(), memoryOptimisedShapes.map(shapeKey).sort());
});

test("the known-good ejabberd node table stays as it was (a change here replaces live ejabberd nodes)", () => {
  assert.deepEqual(
    memoryOptimisedShapes.map((shape) => imNodeSizes[shapeKey(shape)].type),
    ["r7i.large", "r7i.xlarge", "r7i.2xlarge", "r7i.4xlarge", "r7i.8xlarge", "r7i.16xlarge"],
  );
});

test("a pool's size resolves to its machine from either table, and nothing else does", () => {
  assert.equal(poolMachine("large"), nodeSizes.large);
  assert.equal(poolMachine("16x128"), imNodeSizes["16x128"]);
  assert.equal(poolMachine("toString" as never), undefined);
  assert.equal(poolMachine("3x24" as never), undefined);
});

test("the ejabberd group: the node one instance needs, one node per instance and a spare, tainted for it", () => {
  const cases = [
    { im: { sessionsPerInstance: 1_000_000 }, type: "r7i.4xlarge", min: 3 },
    { im: { sessionsPerInstance: 2_000_000 }, type: "r7i.8xlarge", min: 3 },
    { im: { sessionsPerInstance: 10_000 }, type: "r7i.large", min: 3 },
    { im: { sessionsPerInstance: 1_000_000, sessions: 5_000_000 }, type: "r7i.4xlarge", min: 6 },
    { im: { sessionsPerInstance: 500_000, replicas: 7 }, type: "r7i.2xlarge", min: 7 },
  ];
  for (const { im, type, min } of cases) {
    const plan = imNodeGroupPlan(im);
    assert.equal(imNodeSizes[plan.size].type, type, JSON.stringify(im));
    assert.deepEqual([plan.min, plan.max], [min, min + 1], JSON.stringify(im));
    assert.equal(plan.poolName, imNodePool.name);
    assert.deepEqual(plan.taints, [imNodePool.taint]);
    assert.equal(eksTaintEffects[plan.taints[0].effect], "NO_SCHEDULE");
    assert.equal(plan.maxOpenFiles, imMaxOpenFiles);
  }
});

// containerd on AL2023 gives containers RLIMIT_NOFILE 65,536 soft / 1,048,576 hard (awslabs/amazon-eks-ami#1794,
// nodeadm/internal/containerd/base-runtime-spec.json), below the ports of one large instance.
test("the open-file limit containers get covers the largest instance, which the AMI's default does not", () => {
  const amiDefaultHard = 1_048_576;
  const largest = imSizing(2_000_000, 50).erlang.maxOpenFiles;
  assert.ok(imMaxOpenFiles >= largest, `${imMaxOpenFiles} < ${largest}`);
  assert.ok(imSizing(1_000_000, 3).erlang.maxOpenFiles > amiDefaultHard, "why the default must be raised");
  assert.equal(imNodeSysctls["fs.nr_open"], String(imMaxOpenFiles), "no rlimit above the node's fs.nr_open");
});

// nodeadm reads parts of type application/node.eks.aws as NodeConfig (node.eks.aws/v1alpha1) and merges
// spec.containerd.baseRuntimeSpec over its default spec (https://awslabs.github.io/amazon-eks-ami/nodeadm/,
// nodeadm/doc/api.md ContainerdOptions, nodeadm/doc/examples.md "Modifying container RLIMITs").
test("the ejabberd nodes' user data parses back to the script and a NodeConfig setting RLIMIT_NOFILE", () => {
  const document = renderNodeUserData(imNodeSysctls, imMaxOpenFiles);
  assert.match(document, /^MIME-Version: 1\.0\nContent-Type: multipart\/mixed; boundary="[^"]+"\n/);
  const parts = mimeParts(document);
  assert.deepEqual(
    parts.map((p) => p.contentType),
    ["text/x-shellscript", NODEADM_CONTENT_TYPE],
  );
  assert.ok(parts[0].body.startsWith("#!/bin/bash\n"));
  const nodeConfig = parse(parts[1].body);
  assert.deepEqual(nodeConfig, {
    apiVersion: NODEADM_API_VERSION,
    kind: "NodeConfig",
    spec: {
      containerd: {
        baseRuntimeSpec: {
          process: { rlimits: [{ type: "RLIMIT_NOFILE", soft: 65_536, hard: imMaxOpenFiles }] },
        },
      },
    },
  });
  assert.equal(NODEADM_API_VERSION, "node.eks.aws/v1alpha1");
  assert.equal(NODEADM_CONTENT_TYPE, "application/node.eks.aws");
});

test("the config pools' user data stays as it was: the script alone, so their nodes are not replaced", () => {
  const document = renderNodeUserData(imNodeSysctls);
  assert.deepEqual(
    mimeParts(document).map((p) => p.contentType),
    ["text/x-shellscript"],
  );
  assert.ok(!document.includes("NodeConfig"));
});

test("an open-file limit outside 1024 to fs.nr_open is refused, naming the value and the range", () => {
  for (const bad of [0, 1023, imMaxOpenFiles + 1, 1.5])
    assert.throws(() => renderNofileNodeConfig(bad), new RegExp(`'maxOpenFiles' \\(${bad}\\) must be an integer`));
});

test("a config node pool named ejabberd is refused: the kit creates that group itself", () => {
  const raw = withValue(
    exampleRawConfig("aws"),
    "warbler:cluster",
    ["nodePools"],
    [
      { name: "system", size: "small", min: 1, max: 2 },
      { name: "ejabberd", size: "large", min: 1, max: 2 },
    ],
  );
  const message = configProblems(raw);
  assert.match(message, /warbler:cluster\.nodePools\[1\]\.name/);
  assert.match(message, /is reserved: every kit creates the dedicated 'ejabberd' node pool itself/);
  assert.doesNotMatch(message, /nodePools\[0\]/, "the other pool is fine");
});

/*
 * No AWS limit caps the sessions one ejabberd target holds. The NLB quotas are counts of targets (500 per zone, 3,000
 * per NLB), listeners (50, AWS_TURN_RELAY_MAX_PORTS) and ENIs, with no connections-per-target quota
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html). The one per-target
 * ceiling, about 55,000 connections to each target through the NLB's own addresses, applies only when client IP
 * preservation is off (edit-target-group-attributes.html in the same guide, "Client IP preservation"); with it on,
 * each connection keeps the client's address and port.
 */
test("no NLB limit caps 2,000,000 connections on one target: client IPs are preserved and targets are few", () => {
  const { tcpAnnotations, udpAnnotations } = loadBalancerAnnotations();
  for (const annotations of [tcpAnnotations, udpAnnotations]) {
    assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"], "ip");
    assert.match(
      annotations["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"],
      /(^|,)preserve_client_ip\.enabled=true(,|$)/,
    );
  }
  // A target registered with N target groups counts N times (quotas page, note 2): at most one group per listener.
  const targetsPerZoneQuota = 500;
  const mostReplicas = imSchema.shape.replicas.unwrap().maxValue ?? Number.POSITIVE_INFINITY;
  const mostTargets = mostReplicas * NLB_TCP_LISTENER_PORTS.length;
  assert.ok(mostTargets <= targetsPerZoneQuota, `${mostTargets} targets`);
  assert.ok(AWS_TURN_RELAY_MAX_PORTS + 2 <= 50, "listeners per NLB");
});
