import { imMaxOpenFiles } from "./im-sizing";

/**
 * Kernel settings for nodes that hold hundreds of thousands of long-lived
 * XMPP connections (docs/capacity.md derives the figures). Every kit applies
 * them to its node pools, so a node on any cloud can carry the same load.
 * Pure data: kits translate it into their node-pool syntax.
 */
export const imNodeSysctls = {
  /** System-wide file handles: one per connection plus headroom. */
  "fs.file-max": "4194304",
  /** Per-process ceiling, so the ejabberd container's nofile limit can reach 2M. */
  "fs.nr_open": String(imMaxOpenFiles),
  /** Accept queue for login bursts (ejabberd's listener backlog is 1024). */
  "net.core.somaxconn": "65535",
  "net.ipv4.tcp_max_syn_backlog": "65535",
  "net.core.netdev_max_backlog": "65536",
  /** Outbound ports for the node's own connections (database, Erlang distribution). */
  "net.ipv4.ip_local_port_range": "1024 65535",
  /** Idle XMPP sessions: small default socket buffers keep kernel memory per connection low. */
  "net.ipv4.tcp_rmem": "4096 16384 4194304",
  "net.ipv4.tcp_wmem": "4096 16384 4194304",
  /** Detect dead mobile clients within minutes, not hours. */
  "net.ipv4.tcp_keepalive_time": "300",
  "net.ipv4.tcp_keepalive_intvl": "30",
  "net.ipv4.tcp_keepalive_probes": "5",
  /** Conntrack table for NodePort/LoadBalancer traffic through kube-proxy. */
  "net.netfilter.nf_conntrack_max": "2097152",
} as const;

/** The sysctl.d file that node boot scripts write the settings to, so they survive a reboot. */
export const imSysctlFile = "/etc/sysctl.d/90-warbler-im.conf";
