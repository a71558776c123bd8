import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { stringify } from "yaml";
import { clusterArgsProblems } from "../../../components/azure/cluster";
import { AZURE_MAX_SESSIONS_PER_INSTANCE, azureConfigIssues } from "../../../components/azure/config-rules";
import { idleTimeoutMinutes, loadBalancerAnnotations, vmInboundFlows } from "../../../components/azure/load-balancer";
import { azureMocks } from "../../../components/azure/mocks";
import { nameRules } from "../../../components/azure/naming";
import {
  aksContainerMaxOpenFiles,
  aksTaint,
  configPoolTag,
  ejabberdPoolSpec,
  zonalShares,
} from "../../../components/azure/node-pool";
import { acceptsVmFlowLimit } from "../../../components/azure/parity";
import { imNodeSizes } from "../../../components/azure/sizes";
import { kitDescriptors } from "../../../components/kits";
import type { MockContext } from "../../../components/mock-types";
import { keepaliveSilenceSeconds } from "../../../config/im";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { imNodePool, imSizing, memoryOptimisedShapes, shapeKey } from "../../../lib/im-sizing";
import { runCli } from "../../support/cli";
import { configProblems, exampleRawConfig, withValue } from "../../support/stack-config";

const poolArgs = { version: "1.36", zones: ["1", "2", "3"], nodeSubnetIds: ["a", "b", "c"], tags: { owner: "t" } };
const azureRaw = (sessionsPerInstance: number) =>
  withValue(exampleRawConfig("azure"), "warbler:im", ["sessionsPerInstance"], sessionsPerInstance);

// "VMs that belong to a virtual network can handle 500k active connections for all VM sizes with 500k active flows in
// each direction" (https://learn.microsoft.com/en-us/azure/virtual-network/virtual-machine-network-throughput, "Flow
// limits and active connections recommendations"); every session is one inbound flow on its ejabberd node.
test("more than 500,000 sessions per instance is refused on azure, naming the key, the value and the limit", () => {
  assert.equal(vmInboundFlows, 500_000);
  assert.equal(AZURE_MAX_SESSIONS_PER_INSTANCE, vmInboundFlows);
  assert.doesNotThrow(() => loadConfig(azureRaw(500_000), { cloudRules: kitDescriptors }));
  const message = configProblems(azureRaw(500_001));
  assert.match(
    message,
    /'warbler:im\.sessionsPerInstance' \(500001\) must be at most 500000 on azure \(it is 500001\)/,
  );
  assert.match(message, /500,000 inbound flows \(Microsoft Learn, Virtual machine network bandwidth, flow limits\)/);
  // The cloud-neutral default (1,000,000) is refused too: an Azure stack must say how many sessions an instance takes.
  const withoutKey = structuredClone(exampleRawConfig("azure"));
  delete (withoutKey["warbler:im"] as Record<string, unknown>).sessionsPerInstance;
  assert.match(
    configProblems(withoutKey),
    /'warbler:im\.sessionsPerInstance' must be at most 500000 on azure \(it is 1000000\)/,
  );
});

test("warbler plan exits 2 above the azure flow limit, naming the key, the value and the limit", async () => {
  const dir = mkdtempSync(join(tmpdir(), "warbler-azure-flows-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "Pulumi.azure-flows.yaml");
  writeFileSync(file, stringify({ config: azureRaw(600_000) }));
  const result = await runCli(["plan", file]);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /'warbler:im\.sessionsPerInstance' \(600000\) must be at most 500000 on azure/);
  assert.match(result.stderr, /500,000 inbound flows/);
  assert.doesNotMatch(result.stderr, /\n\s+at .+\(.+:\d+:\d+\)/, "no stack trace for bad input");
});

// AKS names a pool's shares <base><zone digit>; the ejabberd pool's would collide with a config pool's of that base.
test("a config pool whose AKS name would be the ejabberd pool's is refused on azure; others are not", () => {
  const raw = exampleRawConfig("azure");
  const pools = (names: string[]) =>
    withValue(
      raw,
      "warbler:cluster",
      ["nodePools"],
      names.map((name) => ({ name, size: "large", min: 3, max: 6 })),
    );
  assert.match(
    configProblems(pools(["im", "ejab-berd"])),
    /'warbler:cluster\.nodePools\[1\]\.name' .*is reserved on azure: 'ejab-berd' gives AKS pools/,
  );
  // The name itself is refused once, by the rule every cloud shares (config/schema.ts).
  const problems = configProblems(pools(["im", "ejabberd"]));
  assert.equal(problems.match(/nodePools\[1\]\.name/g)?.length, 1, problems);
  assert.match(problems, /is reserved: every kit creates the dedicated 'ejabberd' node pool itself/);
  assert.doesNotThrow(() => loadConfig(pools(["im", "ejabberd2"]), { cloudRules: kitDescriptors }));
  const config = loadConfig(raw, { cloudRules: kitDescriptors }) as PlatformConfig;
  assert.deepEqual(azureConfigIssues(config), []);
});

test("the cluster component refuses a config pool named like the ejabberd pool only when it creates that pool", () => {
  const args = {
    nodePools: [{ name: "ejabberd", size: "large" as const, min: 3, max: 6 }],
    zones: ["1"],
    nodeSubnetIds: ["a"],
    serviceCidr: "172.20.0.0/16",
  };
  assert.deepEqual(clusterArgsProblems(args), []);
  assert.deepEqual(clusterArgsProblems({ ...args, ejabberd: { sessionsPerInstance: 500_000 } }), [
    "'nodePools[0].name' (\"ejabberd\") becomes AKS pool name 'ejabberd', as 'the dedicated ejabberd pool' does; " +
      "pool names must differ in letters or digits",
  ]);
});

// Azure/AgentBaker parts/linux/cloud-init/artifacts/containerd.service sets LimitNOFILE=1048576 on Azure Linux nodes
// (installed by vhdbuilder/packer/packer_source.sh when isMarinerOrAzureLinux; Azure/AgentBaker#2799), containers
// inherit it (Azure/AgentBaker#2957), and AKS's linuxOSConfig has no rlimit (@pulumi/azure-native LinuxOSConfigArgs).
test("the largest instance Azure allows needs fewer open files than an AKS container gets; a 1M one would not", () => {
  assert.equal(aksContainerMaxOpenFiles, 1_048_576);
  const largest = imSizing(AZURE_MAX_SESSIONS_PER_INSTANCE, 50).erlang;
  assert.equal(largest.ports, 565_536);
  assert.ok(largest.maxOpenFiles <= aksContainerMaxOpenFiles);
  assert.ok(imSizing(1_000_000, 3).erlang.maxOpenFiles > aksContainerMaxOpenFiles, "the cap keeps the rlimit enough");
});

test("the ejabberd pool: Esv5 of the sized shape, one node per instance and a spare, labelled and tainted", () => {
  const spec = ejabberdPoolSpec({ sessionsPerInstance: 500_000, sessions: 2_000_000 });
  assert.deepEqual(spec, {
    name: "ejabberd",
    vmSize: "Standard_E8s_v5",
    min: 5,
    max: 6,
    nodeLabels: { "warbler.io/pool": "ejabberd" },
    nodeTaints: ["warbler.io/dedicated=ejabberd:NoSchedule"],
  });
  assert.equal(spec.vmSize, imNodeSizes[shapeKey(imSizing(500_000, 5).node)].type);
  assert.deepEqual(
    [spec.nodeLabels, spec.nodeTaints],
    [{ [imNodePool.label.key]: imNodePool.label.value }, [aksTaint(imNodePool.taint)]],
  );
  assert.deepEqual(ejabberdPoolSpec({ sessionsPerInstance: 10_000, replicas: 2 }).vmSize, "Standard_E2s_v5");
  assert.deepEqual([ejabberdPoolSpec({ sessionsPerInstance: 100_000 }).min], [3], "three instances by default");
});

test("its zonal shares are valid AKS User pools whose bounds add up, each in its zone's subnet", () => {
  const shares = zonalShares(ejabberdPoolSpec({ sessionsPerInstance: 500_000, replicas: 5 }), false, poolArgs);
  assert.deepEqual(
    shares.map((s) => [s.name, s.mode, s.availabilityZones, s.vnetSubnetID, s.minCount, s.maxCount]),
    [
      ["ejabberd1", "User", ["1"], "a", 2, 2],
      ["ejabberd2", "User", ["2"], "b", 2, 2],
      ["ejabberd3", "User", ["3"], "c", 1, 2],
    ],
  );
  for (const share of shares) {
    assert.match(String(share.name), nameRules.agentPool.pattern);
    assert.equal(share.vmSize, "Standard_E8s_v5");
    assert.equal(share.osSKU, "AzureLinux");
    assert.equal(share.osDiskType, "Managed");
    assert.equal(share.enableNodePublicIP, false);
    assert.deepEqual(share.nodeTaints, ["warbler.io/dedicated=ejabberd:NoSchedule"]);
    assert.equal((share.tags as Record<string, string>)[configPoolTag], "ejabberd");
  }
});

// https://learn.microsoft.com/en-us/rest/api/aks/agent-pools/create-or-update: agentPoolName ^[a-z][a-z0-9]{0,11}$;
// nodeTaints "key=value:NoSchedule" (@pulumi/azure-native AgentPoolArgs).
test("the AgentPool mock refuses what AKS refuses: a bad pool name or taint", () => {
  const ctx: MockContext = {
    project: "warbler",
    stack: "pools",
    region: "westeurope",
    accountId: "unused",
    subscriptionId: "00000000-0000-4000-8000-000000000009",
  };
  const create = (inputs: Record<string, unknown>) =>
    azureMocks.resources["azure-native:containerservice:AgentPool"](
      { type: "azure-native:containerservice:AgentPool", name: "p", inputs, provider: "", id: "", custom: true },
      ctx,
    );
  const ok = { resourceGroupName: "rg", resourceName: "aks", agentPoolName: "ejabberd1" };
  assert.match(String(create({ ...ok, nodeTaints: [aksTaint(imNodePool.taint)] }).id), /\/agentPools\/ejabberd1$/);
  assert.throws(() => create({ ...ok, agentPoolName: "ejabberd-1" }), /InvalidParameter: agent pool name/);
  assert.throws(() => create({ ...ok, agentPoolName: "averylongpool1" }), /InvalidParameter: agent pool name/);
  assert.throws(() => create({ ...ok, nodeTaints: ["warbler.io/dedicated=ejabberd"] }), /InvalidParameter: node taint/);
});

// The load balancer drops a flow idle longer than its timeout: a live session is silent for at most the ping interval
// plus the answer time (config/im.ts). The annotation takes 4-100 minutes (kubernetes-sigs/cloud-provider-azure#4361,
// https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-tcp-idle-timeout).
test("the idle timeout is within what the annotation takes and longer than a live session's silence", () => {
  assert.deepEqual(idleTimeoutMinutes, { min: 4, max: 100 });
  const lb = loadBalancerAnnotations({});
  const minutes = Number(lb.tcpAnnotations["service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout"]);
  assert.ok(Number.isInteger(minutes) && minutes >= idleTimeoutMinutes.min && minutes <= idleTimeoutMinutes.max);
  assert.ok(lb.tcpIdleTimeoutSeconds > keepaliveSilenceSeconds, `${lb.tcpIdleTimeoutSeconds} s`);
});

test("the parity exception azure-vm-flow-limit accepts a larger Azure ejabberd pool with the same spare, only", () => {
  const table: [Record<string, string>, boolean][] = [
    [{ aws: "ejabberd: 3-4, im: 3-6", azure: "ejabberd: 5-6, im: 3-6", alicloud: "ejabberd: 3-4, im: 3-6" }, true],
    [{ aws: "ejabberd: 3-4, im: 3-6", azure: "ejabberd: 5-6, im: 3-6", alicloud: "im: 3-6" }, true],
    [{ aws: "ejabberd: 3-4, im: 3-6", azure: "ejabberd: 5-6, im: 2-6" }, false],
    [{ aws: "ejabberd: 6-7, im: 3-6", azure: "ejabberd: 5-6, im: 3-6" }, false],
    [{ aws: "ejabberd: 3-4, im: 3-6", azure: "im: 3-6" }, false],
    [{ aws: "im: 3-6", alicloud: "im: 4-6" }, false],
    [{ aws: "ejabberd: 3-4, im: 3-6", azure: "ejabberd: 5-6, im: 3-6", alicloud: "ejabberd: 3-9, im: 3-6" }, false],
    [{ aws: "ejabberd: 3-4, im: 3-6", azure: "ejabberd: 5-9, im: 3-6" }, false],
    [{ aws: "ejabberd: 3-4, im: 3-6", azure: "ejabberd: 5-6, im: 3-6", alicloud: "ejabberd: 2-3, im: 3-6" }, false],
  ];
  for (const [values, accepted] of table) assert.equal(acceptsVmFlowLimit(values), accepted, JSON.stringify(values));
});

test("every memory-optimised shape's Esv5 size holds the pool's sessions at every size Azure allows", () => {
  for (const sessions of [1_000, 10_000, 100_000, 250_000, 500_000]) {
    const shape = imSizing(sessions, 3).node;
    assert.ok(memoryOptimisedShapes.includes(shape), String(sessions));
    assert.deepEqual(
      { vcpu: imNodeSizes[shapeKey(shape)].vcpu, memoryGiB: imNodeSizes[shapeKey(shape)].memoryGiB },
      { vcpu: shape.vcpu, memoryGiB: shape.memoryGiB },
    );
  }
});
