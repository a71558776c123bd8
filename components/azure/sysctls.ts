import type * as inputs from "@pulumi/azure-native/types/input";
import { imNodeSysctls } from "../../lib/node-tuning";

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
