/**
 * EC2 user data for EKS managed nodes (Amazon Linux 2023). EKS merges a
 * launch template's user data with its own nodeadm configuration, and only
 * accepts it as a MIME multi-part document; a shell part runs before the
 * node joins, so the kernel settings hold before any pod lands.
 */
const BOUNDARY = "==WARBLER==";

/** The `sysctl.d` file that makes the settings survive a reboot. */
export const SYSCTL_FILE = "/etc/sysctl.d/90-warbler-im.conf";

/** Renders `key = value` lines; rejects anything that could break out of the file. */
export function renderSysctlConf(sysctls: Readonly<Record<string, string>>): string {
  const problems = Object.entries(sysctls)
    .filter(([key, value]) => !/^[a-z0-9_.-]+$/.test(key) || !/^[0-9 ]+$/.test(value))
    .map(([key, value]) => `'${key}' (${JSON.stringify(value)}) must be a dotted kernel key with a numeric value`);
  if (problems.length > 0) throw new Error(`invalid sysctls:\n  - ${problems.join("\n  - ")}`);
  return Object.entries(sysctls)
    .map(([key, value]) => `${key} = ${value}`)
    .join("\n");
}

/** The MIME document (plain text; the launch template wants it base64-encoded). */
export function renderNodeUserData(sysctls: Readonly<Record<string, string>>): string {
  const script = [
    "#!/bin/bash",
    "set -euo pipefail",
    // conntrack keys exist only once the module is loaded.
    "modprobe nf_conntrack",
    `cat > ${SYSCTL_FILE} <<'SYSCTL'`,
    renderSysctlConf(sysctls),
    "SYSCTL",
    "sysctl --system",
  ].join("\n");
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    "",
    `--${BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    script,
    "",
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}
