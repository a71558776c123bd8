/**
 * What counts as strong IPsec, written once for the three clouds' VPN
 * policies: AES-256 (CBC or GCM), SHA-2 integrity, Diffie-Hellman groups of
 * 2048-bit MODP (14) or stronger, and elliptic curves.
 */
export const strongEncryption = ["aes256", "aes256-gcm-16", "gcmaes256"];
export const strongIntegrity = ["sha2-256", "sha2-384", "sha2-512", "sha256", "sha384", "sha512", "gcmaes256"];
export const strongDhGroups = [
  "14",
  "15",
  "16",
  "19",
  "20",
  "21",
  "24",
  "dhgroup14",
  "dhgroup24",
  "ecp256",
  "ecp384",
  "group14",
  "group15",
  "group16",
  "group19",
  "group20",
  "group21",
  "group24",
  "pfs14",
  "pfs24",
  "pfs2048",
  "pfsmm",
];

/** The entries of `values` that are not in `strong` (case-insensitive); undefined when `values` is not set. */
export function weakChoices(values: readonly unknown[] | unknown, strong: readonly string[]): string[] | undefined {
  if (values === undefined || values === null) return undefined;
  const list = Array.isArray(values) ? values : [values];
  return list.map(String).filter((v) => !strong.includes(v.toLowerCase()));
}

export const vpnControls = ["ISO27001-A.8.24", "ISO27001-A.8.21", "SOC2-CC6.7", "PCI-4.2.1", "GDPR-32", "MLPS-8.1.2.2"];
