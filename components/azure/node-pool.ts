import type * as inputs from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { imReplicas, imSizingFor } from "../../config/im";
import { imNodePool, shapeKey } from "../../lib/im-sizing";
import { imNodeSysctls } from "../../lib/node-tuning";
import type { NodePoolConfig } from "../contract";
import { agentPoolName } from "./naming";
import { imNodeSizes, nodeSizes } from "./sizes";

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

/** The part of an AKS pool name a pool's zonal shares share: its first 11 letters and digits (a zone digit follows). */
export function zonalPoolBase(pool: string): string {
  return agentPoolName(pool).slice(0, 11);
}

/** AKS pool name of a pool's share in `zone`: its base and the zone's digit. */
export function zonalPoolName(pool: string, zone: string): string {
  return `${zonalPoolBase(pool)}${zone}`;
}

/**
 * RLIMIT_NOFILE, soft and hard, of every container on an AKS Azure Linux node. AgentBaker installs its own
 * containerd.service on Mariner and Azure Linux images with LimitNOFILE=1048576 (Azure/AgentBaker
 * parts/linux/cloud-init/artifacts/containerd.service, copied by vhdbuilder/packer/packer_source.sh when
 * isMarinerOrAzureLinux; Azure/AgentBaker#2799), and containers inherit containerd's limit: without that unit they
 * got "restrictive ulimits within containers" (Azure/AgentBaker#2957). AKS offers no setting for it: linuxOSConfig
 * holds sysctls, swap and transparent huge pages only (@pulumi/azure-native 3.28 LinuxOSConfigArgs), so the nodes'
 * fs.nr_open (2,097,152) is a ceiling the container does not reach.
 */
export const aksContainerMaxOpenFiles = 1_048_576;

/** One pool as the kit builds it, before it is split over the zones. */
export interface ZonalPoolSpec {
  /** Pool name: the shares' names derive from it and carry it in `configPoolTag`. */
  name: string;
  /** AKS VM size of every node. */
  vmSize: string;
  /** Fewest and most nodes over all zones. */
  min: number;
  max: number;
  /** Kubernetes labels on every node. @default - none */
  nodeLabels?: Record<string, string>;
  /** Taints on every node, as AKS spells them (`key=value:Effect`). @default - none */
  nodeTaints?: string[];
}

/**
 * The AKS agent pools for one config pool, one per zone (see `zonalShares`). The first config pool's shares are System
 * pools, so the system pods survive a zone too; a System pool keeps at least one node.
 */
export function zonalPoolArgs(pool: NodePoolConfig, system: boolean, args: AzureNodePoolArgs): PoolProfile[] {
  const spec = { name: pool.name, vmSize: nodeSizes[pool.size].type, min: pool.min, max: pool.max };
  return zonalShares(spec, system, args);
}

/** A Kubernetes taint as AKS's nodeTaints take it: `key=value:Effect` (@pulumi/azure-native AgentPoolArgs). */
export function aksTaint(taint: { key: string; value: string; effect: string }): string {
  return `${taint.key}=${taint.value}:${taint.effect}`;
}

/**
 * The dedicated ejabberd pool (`imNodePool`) a parsed `warbler:im` needs: the Esv5 size of the memory-optimised shape
 * one instance needs (`imSizing(...).node`), one node per instance (`imReplicas`) and one spare for a rolling
 * replacement or a lost node, labelled for the chart's nodeSelector and tainted so nothing else takes its memory.
 */
export function ejabberdPoolSpec(im: { sessionsPerInstance: number; replicas?: number; sessions?: number }) {
  const nodes = imReplicas(im);
  const spec: ZonalPoolSpec = {
    name: imNodePool.name,
    vmSize: imNodeSizes[shapeKey(imSizingFor(im).node)].type,
    min: nodes,
    max: nodes + 1,
    nodeLabels: { [imNodePool.label.key]: imNodePool.label.value },
    nodeTaints: [aksTaint(imNodePool.taint)],
  };
  return spec;
}

/**
 * A pool's AKS agent pools, one per zone: a NAT gateway is zonal, so a pool spanning zones in one subnet sends every
 * node's traffic through one zone's gateway and loses egress with that zone
 * (https://learn.microsoft.com/en-us/azure/nat-gateway/nat-availability-zones: "zonal isolation", a subnet and NAT
 * gateway per zone). Each share is pinned to its zone and sits in that zone's subnet; min and max are split over the
 * zones, and the autoscaler balances similar pools (cluster.ts). A System pool keeps at least one node per zone. All
 * run Azure Linux on managed OS disks (which the disk encryption set covers), without public node IPs, with the IM
 * kernel settings AKS accepts.
 */
export function zonalShares(spec: ZonalPoolSpec, system: boolean, args: AzureNodePoolArgs): PoolProfile[] {
  const mins = splitOverZones(spec.min, args.zones.length);
  const maxes = splitOverZones(spec.max, args.zones.length);
  return args.zones.map((zone, i) => {
    const min = system ? Math.max(1, mins[i]) : mins[i];
    const max = Math.max(min, maxes[i], 1);
    return {
      name: zonalPoolName(spec.name, zone),
      mode: system ? "System" : "User",
      type: "VirtualMachineScaleSets",
      osType: "Linux",
      osSKU: "AzureLinux",
      vmSize: spec.vmSize,
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
      // Only when set, so the config pools' inputs stay as they were.
      ...(spec.nodeLabels ? { nodeLabels: spec.nodeLabels } : {}),
      ...(spec.nodeTaints ? { nodeTaints: spec.nodeTaints } : {}),
      tags: { ...args.tags, [configPoolTag]: spec.name },
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
