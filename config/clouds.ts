/** The clouds a platform stack can target. */
export const clouds = ["aws", "azure", "alicloud"] as const;
export type Cloud = (typeof clouds)[number];

/** The DNS providers `warbler:dns.provider` accepts. */
export const dnsProviders = ["route53", "traffic-manager", "alidns-gtm"] as const;
export type DnsProvider = (typeof dnsProviders)[number];

/** The cloud whose API each DNS provider is managed through. */
export const dnsProviderCloud: Record<DnsProvider, Cloud> = {
  route53: "aws",
  "traffic-manager": "azure",
  "alidns-gtm": "alicloud",
};

/** The DNS services whose zones cert-manager can solve ACME DNS-01 challenges in (`warbler:acme.dns01.provider`). */
export const acmeDnsProviders = ["route53", "azure-dns", "alidns"] as const;
export type AcmeDnsProvider = (typeof acmeDnsProviders)[number];

/** The cloud whose workload identity (or RAM user) can write each DNS-01 provider's zone. */
export const acmeDnsProviderCloud: Record<AcmeDnsProvider, Cloud> = {
  route53: "aws",
  "azure-dns": "azure",
  alidns: "alicloud",
};

/** Abstract sizes; each kit maps them to instance types and database SKUs of the same class. */
export const sizes = ["small", "medium", "large", "xlarge"] as const;
export type Size = (typeof sizes)[number];

/** vCPU and memory of each abstract size, the class every kit's table must match. */
export const sizeClass: Record<Size, { vcpu: number; memoryGiB: number }> = {
  small: { vcpu: 2, memoryGiB: 8 },
  medium: { vcpu: 4, memoryGiB: 16 },
  large: { vcpu: 8, memoryGiB: 32 },
  xlarge: { vcpu: 16, memoryGiB: 64 },
};

/** Kubernetes minor versions offered as managed clusters on all three clouds. */
export const kubernetesVersions = ["1.35", "1.36"] as const;

/** PostgreSQL majors offered, with HA and CMK encryption, on all three clouds. */
export const postgresVersions = ["16", "17"] as const;
