import type * as inputs from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { imNodeSysctls } from "../../lib/node-tuning";
import type { NodePoolConfig } from "../contract";
import { agentPoolName } from "./naming";
import { nodeSizes } from "./sizes";

type PoolProfile = inputs.containerservice.ManagedClusterAgentPoolProfileArgs;

/** Where the cluster puts its agent pools. */
export interface AzureNodePoolArgs {
  /** Kubernetes minor of the nodes; matches the control plane. @default - none, required */
  version: string;
  /** Azure zones every pool spreads over. @default - none, required */
  zones: string[];
  /** Node subnets, one per zone block; pools are placed round-robin. @default - none, required */
  nodeSubnetIds: pulumi.Input<string>[];
  /** Tags on the pools' scale sets. @default - none, required */
  tags: Record<string, string>;
}

/**
 * The AKS agent pool for `pool`, the `index`th of the config's pools: the
 * first is the System pool and runs the system pods too. Every pool
 * autoscales between min and max over all zones, on Azure Linux, with
 * managed OS disks (covered by the cluster's disk encryption set), no public
 * node IPs, and the IM kernel settings AKS accepts. The pools stay children of
 * the cluster, not components of their own: AKS creates the first inside the
 * cluster resource itself.
 */
export function nodePoolArgs(pool: NodePoolConfig, index: number, args: AzureNodePoolArgs): PoolProfile {
  return {
    name: agentPoolName(pool.name),
    mode: index === 0 ? "System" : "User",
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: "AzureLinux",
    vmSize: nodeSizes[pool.size].type,
    orchestratorVersion: args.version,
    enableAutoScaling: true,
    count: pool.min,
    minCount: pool.min,
    maxCount: pool.max,
    availabilityZones: args.zones,
    // Managed, not ephemeral: the OS disk is then a managed disk the disk encryption set covers.
    osDiskType: "Managed",
    osDiskSizeGB: 128,
    enableNodePublicIP: false,
    vnetSubnetID: args.nodeSubnetIds[index % args.nodeSubnetIds.length],
    linuxOSConfig: { sysctls: aksSysctls() },
    upgradeSettings: { maxSurge: "33%" },
    tags: args.tags,
  };
}

type SysctlConfig = inputs.containerservice.SysctlConfigArgs;
type SysctlKey = keyof typeof imNodeSysctls;

/**
 * AKS accepts only a fixed set of sysctls (linuxOSConfig.sysctls), each as a
 * named, typed field. These are the ones of imNodeSysctls it has.
 */
const aksField: Partial<Record<SysctlKey, { field: keyof SysctlConfig; kind: "number" | "string" }>> = {
  "fs.file-max": { field: "fsFileMax", kind: "number" },
  "fs.nr_open": { field: "fsNrOpen", kind: "number" },
  "net.core.somaxconn": { field: "netCoreSomaxconn", kind: "number" },
  "net.ipv4.tcp_max_syn_backlog": { field: "netIpv4TcpMaxSynBacklog", kind: "number" },
  "net.core.netdev_max_backlog": { field: "netCoreNetdevMaxBacklog", kind: "number" },
  "net.ipv4.ip_local_port_range": { field: "netIpv4IpLocalPortRange", kind: "string" },
  "net.ipv4.tcp_keepalive_time": { field: "netIpv4TcpKeepaliveTime", kind: "number" },
  "net.ipv4.tcp_keepalive_intvl": { field: "netIpv4TcpkeepaliveIntvl", kind: "number" },
  "net.ipv4.tcp_keepalive_probes": { field: "netIpv4TcpKeepaliveProbes", kind: "number" },
  "net.netfilter.nf_conntrack_max": { field: "netNetfilterNfConntrackMax", kind: "number" },
};

/**
 * imNodeSysctls that AKS has no field for. net.ipv4.tcp_rmem/tcp_wmem are
 * kernel defaults-per-socket triples AKS does not expose; AKS's default
 * triple already starts at 4096, so idle sockets stay small, and the ejabberd
 * chart can lower buffers per socket itself.
 */
export const unsupportedOnAks: SysctlKey[] = (Object.keys(imNodeSysctls) as SysctlKey[]).filter((k) => !aksField[k]);

/** imNodeSysctls in AKS's linuxOSConfig.sysctls shape. */
export function aksSysctls(): SysctlConfig {
  const config: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(imNodeSysctls) as [SysctlKey, string][]) {
    const mapping = aksField[key];
    if (mapping) config[mapping.field] = mapping.kind === "number" ? Number(value) : value;
  }
  return config as SysctlConfig;
}
