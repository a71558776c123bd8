import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { defaultPorts } from "../../../charts/im/ejabberd-spec";
import { imPorts } from "../../../charts/im/props";
import { apiServerAccess } from "../../../components/azure/cluster";
import { firstVersionExpiry, keyRotation } from "../../../components/azure/key";
import { convertKubeconfig, kubeloginArgs } from "../../../components/azure/kubeconfig";
import { planAzureNetwork } from "../../../components/azure/layout";
import {
  idleTimeoutMinutes,
  loadBalancerAnnotations,
  tcpIdleTimeoutMinutes,
} from "../../../components/azure/load-balancer";
import { azureMocks } from "../../../components/azure/mocks";
import { splitOverZones, zonalPoolArgs, zonalPoolName } from "../../../components/azure/node-pool";
import {
  apiServerSubnetRules,
  databaseSubnetRules,
  listenerPorts,
  privateSubnetRules,
} from "../../../components/azure/nsg-rules";
import { builtInRoles } from "../../../components/azure/permissions";
import { propagationWaitMs, RBAC_PROPAGATION_MS } from "../../../components/azure/rbac-wait";
import { haSlotParameters } from "../../../components/azure/replication";
import { peerTunnels } from "../../../components/azure/vpn";
import { kitDescriptors } from "../../../components/kits";
import type { MockContext } from "../../../components/mock-types";
import { loadConfig } from "../../../config/load";
import { configProblems, exampleRawConfig, withValue } from "../../support/stack-config";

const ctx: MockContext = {
  project: "warbler",
  stack: "facts",
  region: "westeurope",
  accountId: "unused",
  subscriptionId: "00000000-0000-4000-8000-000000000009",
};
const zones = planAzureNetwork("10.30.0.0/16", 3).zones;
const relay = { from: 50000, to: 50039 };

// AKS load-balancing rules use floating IP: the packet reaches the node addressed to the frontend's public IP and the
// Service port, so an NSG rule with destination VirtualNetwork drops it (cloud-provider-azure#1729, Azure/AKS#674).
test("node subnets admit from Internet exactly the Services' listener ports, to any destination", () => {
  const rules = privateSubnetRules(listenerPorts(relay));
  assert.deepEqual(
    rules.map((r) => [r.protocol, r.sourceAddressPrefix, r.destinationAddressPrefix, r.destinationPortRanges]),
    [
      ["Tcp", "Internet", "*", ["80", "443", "5222", "5223"]],
      ["Udp", "Internet", "*", ["3478", "50000-50039"]],
    ],
  );
  // The ports are the charts' own: the XMPP client listeners and TURN's Service ports (not its pod port 5349).
  assert.deepEqual([defaultPorts.c2s, defaultPorts.c2sTls, imPorts.turn, imPorts.turnStream], [5222, 5223, 3478, 443]);
});

test("the UDP rule is the relay range from config only, and disappears with TURN", () => {
  const udp = privateSubnetRules(listenerPorts({ from: 61000, to: 61009 })).find((r) => r.protocol === "Udp")!;
  assert.deepEqual(udp.destinationPortRanges, ["3478", "61000-61009"]);
  assert.ok(!JSON.stringify(privateSubnetRules(listenerPorts(relay))).includes("49152-65535"));
  assert.deepEqual(
    privateSubnetRules(listenerPorts(undefined)).map((r) => [r.protocol, r.destinationPortRanges]),
    [["Tcp", ["80", "443", "5222", "5223"]]],
  );
});

// Azure's VirtualNetwork service tag covers the ranges a VPN gateway routes in
// (https://learn.microsoft.com/en-us/azure/virtual-network/service-tags-overview), so the database subnet's
// deny-other-vnet rule would refuse the peer cloud's replication unless an allow precedes it.
test("the database subnet admits PostgreSQL from the peer and lets it out to the peer, before the VNet deny", () => {
  const rules = databaseSubnetRules(zones, "10.20.0.0/16");
  const deny = rules.find((r) => r.access === "Deny")!;
  const inbound = rules.find((r) => r.name === "allow-postgres-from-peer")!;
  const outbound = rules.find((r) => r.name === "allow-postgres-to-peer")!;
  assert.deepEqual(
    [inbound.direction, inbound.sourceAddressPrefix, inbound.destinationPortRange],
    ["Inbound", "10.20.0.0/16", "5432"],
  );
  assert.deepEqual(
    [outbound.direction, outbound.destinationAddressPrefix, outbound.destinationPortRange],
    ["Outbound", "10.20.0.0/16", "5432"],
  );
  assert.ok(inbound.priority < deny.priority);
  assert.deepEqual(inbound.destinationAddressPrefixes, outbound.sourceAddressPrefixes);
  assert.equal(databaseSubnetRules(zones).length, 3, "no peer, no peer rules");
});

test("the API server subnet names the node subnets and the in-network deployers on 443", () => {
  const [rule] = apiServerSubnetRules(zones, ["10.99.0.0/24"]);
  assert.equal(rule.destinationPortRange, "443");
  assert.deepEqual(rule.sourceAddressPrefixes, [...zones.map((z) => z.private), "10.99.0.0/24"]);
});

// "You can't use this feature with private clusters" (https://learn.microsoft.com/en-us/azure/aks/
// api-server-authorized-ip-ranges): a public range makes the endpoint public and authorized; none keeps it private.
test("authorized IP ranges go with a public endpoint only; without them the cluster is private", () => {
  const open = apiServerAccess(["203.0.113.0/24"], "subnet");
  assert.deepEqual([open.enablePrivateCluster, open.authorizedIPRanges], [false, ["203.0.113.0/24"]]);
  const closed = apiServerAccess([], "subnet");
  assert.equal(closed.enablePrivateCluster, true);
  assert.equal("authorizedIPRanges" in closed, false);
  assert.equal(closed.enablePrivateClusterPublicFQDN, false);
  for (const access of [open, closed]) assert.equal(access.enableVnetIntegration, true);
});

/** The kubeconfig AKS returns for format `exec`, as the kit's mock fabricates it. */
function aksKubeconfig(): string {
  const mockCtx = { ...ctx, stack: `kubeconfig-${Math.random()}` };
  azureMocks.resources["azure-native:containerservice:ManagedCluster"](
    {
      type: "azure-native:containerservice:ManagedCluster",
      name: "aks",
      inputs: { resourceGroupName: "rg", resourceName: "aks", apiServerAccessProfile: { enablePrivateCluster: true } },
      provider: "",
      id: "",
      custom: true,
    },
    mockCtx,
  );
  const result = azureMocks.calls["azure-native:containerservice:listManagedClusterUserCredentials"](
    { token: "", inputs: { resourceGroupName: "rg", resourceName: "aks", format: "exec" }, provider: "" },
    mockCtx,
  ) as { kubeconfigs: { value: string }[] };
  return Buffer.from(result.kubeconfigs[0].value, "base64").toString("utf8");
}

const execOf = (kubeconfig: string) =>
  (parse(kubeconfig) as { users: { user: { exec: { args: string[] } } }[] }).users[0].user.exec;

// AKS's exec kubeconfig asks kubelogin for devicecode, which waits for a person (pulumi-azure-native#2399).
test("AKS's kubeconfig asks for device code; the kit's signs in without a person in the configured mode", () => {
  const raw = aksKubeconfig();
  assert.deepEqual(execOf(raw).args.slice(-2), ["--login", "devicecode"]);
  for (const mode of ["azurecli", "spn", "workloadidentity"] as const) {
    const args = execOf(convertKubeconfig(raw, mode)).args;
    assert.deepEqual(args.slice(-2), ["--login", mode]);
    assert.ok(!args.includes("devicecode"), mode);
    // The AKS public client of the interactive modes would override a service principal's AZURE_CLIENT_ID.
    assert.ok(!args.includes("--client-id"), mode);
    assert.equal(args[args.indexOf("--server-id") + 1], "6dae42f8-4368-4678-94ff-3960e28e3630");
  }
  assert.ok(execOf(convertKubeconfig(raw, "spn")).args.includes("--tenant-id"));
});

test("a kubeconfig without a kubelogin user, or kubelogin without --server-id, is refused", () => {
  assert.throws(() => convertKubeconfig("users: []\n", "azurecli"), /no user signing in through kubelogin/);
  assert.throws(() => kubeloginArgs(["get-token", "--login", "devicecode"], "spn"), /no --server-id/);
});

test("AKS lists a cluster's credentials only once the cluster exists", () => {
  assert.throws(
    () =>
      azureMocks.calls["azure-native:containerservice:listManagedClusterUserCredentials"](
        { token: "", inputs: { resourceGroupName: "rg", resourceName: "never-created" }, provider: "" },
        ctx,
      ),
    /ResourceNotFound/,
  );
});

// "It can take up to 10 minutes for changes to take effect"
// (https://learn.microsoft.com/en-us/azure/role-based-access-control/troubleshooting).
test("a resource after a new role assignment waits out ten minutes from ARM's createdOn, and only then", () => {
  const created = "2026-12-05T07:00:00.0000000Z";
  const at = Date.parse(created);
  assert.equal(RBAC_PROPAGATION_MS, 600_000);
  assert.equal(propagationWaitMs([created], at + 1000), 599_000);
  assert.equal(propagationWaitMs([created, "2026-12-05T07:05:00.0000000Z"], at + 60_000), 840_000, "the newest counts");
  assert.equal(propagationWaitMs([created], at + 11 * 60_000), 0, "a later run does not wait");
  assert.equal(propagationWaitMs([undefined], at), 0);
});

// The rotation policy's expiry "is used to set expiration date on newly rotated key. It doesn't affect a current
// key" (https://learn.microsoft.com/en-us/azure/key-vault/keys/how-to-configure-key-rotation).
test("the first key version expires after the policy's lifetime, and the policy rotates well before that", () => {
  const now = Date.parse("2026-12-05T00:00:00Z");
  assert.equal(firstVersionExpiry(now), now / 1000 + 730 * 86400);
  const days = (d: string) => Number(/^P(\d+)D$/.exec(d)![1]);
  assert.ok(days(keyRotation.rotateAfter) + days(keyRotation.notifyBeforeExpiry) < days(keyRotation.expiry));
});

// "In PostgreSQL 16 and earlier, logical replication slots aren't preserved on the standby server after a failover"
// unless pg_failover_slots and hot_standby_feedback are set; from 17 sync_replication_slots does it
// (https://learn.microsoft.com/en-us/azure/postgresql/high-availability/concepts-high-availability).
test("HA keeps logical slots: pg_failover_slots on 16, sync_replication_slots from 17, nothing without HA", () => {
  const v16 = haSlotParameters("16", true);
  assert.equal(v16.hot_standby_feedback, "on");
  assert.ok(v16.shared_preload_libraries.split(",").includes("pg_failover_slots"));
  assert.deepEqual(haSlotParameters("17", true), { sync_replication_slots: "on", hot_standby_feedback: "on" });
  assert.deepEqual(haSlotParameters("16", false), {});
});

// A NAT gateway is zonal (https://learn.microsoft.com/en-us/azure/nat-gateway/nat-availability-zones): each zone
// gets its own pool in its own subnet behind its own gateway.
test("a config pool becomes one pool per zone whose bounds add up to the configured ones", () => {
  for (const [total, parts] of [
    [3, 3],
    [4, 3],
    [10, 2],
    [1, 3],
  ])
    assert.equal(
      splitOverZones(total, parts).reduce((a, b) => a + b),
      total,
    );
  const pool = { name: "im-edge", size: "large" as const, min: 4, max: 7 };
  const shares = zonalPoolArgs(pool, false, {
    version: "1.35",
    zones: ["1", "2", "3"],
    nodeSubnetIds: ["a", "b", "c"],
    tags: {},
  });
  assert.deepEqual(
    shares.map((s) => [s.name, s.availabilityZones, s.vnetSubnetID, s.minCount, s.maxCount, s.mode]),
    [
      ["imedge1", ["1"], "a", 2, 3, "User"],
      ["imedge2", ["2"], "b", 1, 2, "User"],
      ["imedge3", ["3"], "c", 1, 2, "User"],
    ],
  );
  assert.equal(zonalPoolName("averylongpoolname", "3"), "averylongpo3");
  // A System pool needs a node; a zone's share never drops to 0 there.
  const system = zonalPoolArgs({ ...pool, min: 1, max: 3 }, true, {
    version: "1.35",
    zones: ["1", "2", "3"],
    nodeSubnetIds: ["a", "b", "c"],
    tags: {},
  });
  assert.ok(system.every((s) => (s.minCount as number) >= 1));
});

// An AWS Site-to-Site VPN connection has two tunnels (https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html).
test("both of the peer's tunnels get a local network gateway; one address, or the same twice, gives one", () => {
  assert.deepEqual(
    peerTunnels("198.51.100.20", "198.51.100.21").map((t) => t.suffix),
    ["", "-2"],
  );
  assert.equal(peerTunnels("198.51.100.20").length, 1);
  assert.equal(peerTunnels("198.51.100.20", "198.51.100.20").length, 1);
  assert.equal(peerTunnels(undefined, "198.51.100.21").length, 0);
});

test("the built-in role ids the kit grants are Azure's (the same in every tenant)", () => {
  // https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles
  assert.equal(builtInRoles.contributor, "b24988ac-6180-42a0-ab88-20f7382dd24c");
  assert.equal(builtInRoles.keyVaultCryptoOfficer, "14b46e9e-c2b7-41b4-b07b-48a6ebf60603");
});

// The cloud provider refuses an idle timeout outside 4-100 minutes and leaves 4 without one
// (kubernetes-sigs/cloud-provider-azure#4361); its rules use floating IP with the Service port as backend port
// (kubernetes-sigs/cloud-provider-azure pkg/provider/azure_loadbalancer.go).
test("the load balancers keep the client's address with Local and idle for 30 minutes, on TCP and UDP Services", () => {
  const lb = loadBalancerAnnotations({ owner: "team" });
  const minutes = Number(lb.tcpAnnotations["service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout"]);
  assert.ok(Number.isInteger(minutes) && minutes >= idleTimeoutMinutes.min && minutes <= idleTimeoutMinutes.max);
  assert.equal(minutes, tcpIdleTimeoutMinutes);
  assert.equal(lb.tcpIdleTimeoutSeconds, minutes * 60);
  assert.deepEqual([lb.clientAddress, lb.externalTrafficPolicy], ["source", "Local"]);
  assert.equal(lb.udpAnnotations["service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout"], String(minutes));
  // ejabberd pings every 60 s (charts/im/ejabberd-config.ts mod_ping), far inside the timeout.
  assert.ok(lb.tcpIdleTimeoutSeconds > 60);
});

test("a service-principal login with a User principal type is refused at plan time, naming the key", () => {
  const raw = withValue(exampleRawConfig("azure"), "warbler:cluster", ["azureLogin"], "spn");
  assert.match(
    configProblems(raw),
    /'warbler:cluster\.azurePrincipalType' \("?User"?\) must be ServicePrincipal when 'cluster\.azureLogin' is spn/,
  );
  const fixed = withValue(raw, "warbler:cluster", ["azurePrincipalType"], "ServicePrincipal");
  assert.doesNotThrow(() => loadConfig(fixed, { cloudRules: kitDescriptors }));
});

// Prometheus scrapes node-exporter on each node's address from a pod on another node. Azure's default rule
// AllowVnetInBound (priority 65000) admits that, unless a rule of the subnet's NSG denies VNet traffic first
// (https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview, default security rules).
test("the node subnets deny nothing, so node-exporter stays reachable across nodes through AllowVnetInBound", () => {
  for (const ports of [listenerPorts(relay), listenerPorts(undefined)])
    assert.ok(privateSubnetRules(ports).every((r) => r.access === "Allow" && r.sourceAddressPrefix === "Internet"));
});
