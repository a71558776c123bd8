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
  /** Azure zones the pools spread over, one AKS pool per zone. @default - none, required */
  zones: string[];
  /** Node subnets, one per zone, each behind its zone's NAT gateway. @default - none, required */
  nodeSubnetIds: pulumi.Input<string>[];
  /** Tags on the pools' scale sets. @default - none, required */
  tags: Record<string, string>;
  /** Encrypt temp disks and caches at host (needs the EncryptionAtHost feature, docs/azure.md). @default false */
  encryptionAtHost?: boolean;
}

/** Tag naming the config pool an AKS pool belongs to, so parity and operators see the zonal pools as one. */
export const configPoolTag = "warbler-pool";

/** `total` nodes over `parts` zones as evenly as possible, the first zones taking the remainder. */
export function splitOverZones(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** AKS pool name of a config pool's share in the `zoneIndex`th zone: its name and the zone's digit. */
export function zonalPoolName(pool: string, zone: string): string {
  return `${agentPoolName(pool).slice(0, 11)}${zone}`;
}

/**
 * The AKS agent pools for one config pool, one per zone: a NAT gateway is zonal, so a pool spanning zones in one
 * subnet sends every node's traffic through one zone's gateway and loses egress with that zone
 * (https://learn.microsoft.com/en-us/azure/nat-gateway/nat-availability-zones: "zonal isolation", a subnet and NAT
 * gateway per zone). Each share is pinned to its zone and sits in that zone's subnet; min and max are split over the
 * zones, and the autoscaler balances similar pools (cluster.ts). The first config pool's shares are System pools,
 * so the system pods survive a zone too; a System pool keeps at least one node. All run Azure Linux on managed OS
 * disks (which the disk encryption set covers), without public node IPs, with the IM kernel settings AKS accepts.
 */
export function zonalPoolArgs(pool: NodePoolConfig, system: boolean, args: AzureNodePoolArgs): PoolProfile[] {
  const mins = splitOverZones(pool.min, args.zones.length);
  const maxes = splitOverZones(pool.max, args.zones.length);
  return args.zones.map((zone, i) => {
    const min = system ? Math.max(1, mins[i]) : mins[i];
    const max = Math.max(min, maxes[i], 1);
    return {
      name: zonalPoolName(pool.name, zone),
      mode: system ? "System" : "User",
      type: "VirtualMachineScaleSets",
      osType: "Linux",
      osSKU: "AzureLinux",
      vmSize: nodeSizes[pool.size].type,
      orchestratorVersion: args.version,
      enableAutoScaling: true,
      count: min,
      minCount: min,
      maxCount: max,
      availabilityZones: [zone],
      // Managed, not ephemeral: the OS disk is then a managed disk the disk encryption set covers.
      osDiskType: "Managed",
      osDiskSizeGB: 128,
      enableNodePublicIP: false,
      enableEncryptionAtHost: args.encryptionAtHost ?? false,
      vnetSubnetID: args.nodeSubnetIds[i],
      linuxOSConfig: { sysctls: aksSysctls() },
      upgradeSettings: { maxSurge: "33%" },
      tags: { ...args.tags, [configPoolTag]: pool.name },
    };
  });
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
