import { imNodeSysctls } from "../../lib/node-tuning";

/** Where the node's boot script writes the IM kernel settings. */
export const sysctlFile = "/etc/sysctl.d/90-warbler-im.conf";

/**
 * The node boot script (ACK runs it after the node joins): writes the IM
 * kernel settings to a sysctl.d file, so they also survive reboots, and
 * loads them. ACK's node-pool kubelet configuration has no node-level
 * sysctls, hence user data.
 */
export function sysctlUserData(sysctls: Readonly<Record<string, string>> = imNodeSysctls): string {
  const lines = Object.entries(sysctls).map(([key, value]) => `${key} = ${value}`);
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "modprobe nf_conntrack",
    `cat > ${sysctlFile} <<'SYSCTL'`,
    ...lines,
    "SYSCTL",
    `sysctl -p ${sysctlFile}`,
    "",
  ].join("\n");
}

/** ACK takes node user data base64-encoded. */
export function encodeUserData(script: string): string {
  return Buffer.from(script, "utf8").toString("base64");
}
