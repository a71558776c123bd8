import { exampleRawConfig, withValue } from "../../support/stack-config";

/** One bad stack config and what its error must say. */
export interface BadCase {
  name: string;
  raw: Record<string, unknown>;
  /** The fully-qualified key the error must name. */
  key: string;
  /** A fragment of what the error says is allowed. */
  says: RegExp;
}

const base = exampleRawConfig("aws");
const set = (key: string, path: (string | number)[], value: unknown) => withValue(base, key, path, value);

/** The bad inputs the issue lists, and more; shared by the schema and CLI tests. */
export const badCases: BadCase[] = [
  {
    name: "an unknown cloud",
    raw: set("warbler:cloud", [], "gcp"),
    key: "warbler:cloud",
    says: /must be one of aws, azure, alicloud/,
  },
  {
    name: "a region of another cloud",
    raw: set("warbler:region", [], "westeurope"),
    key: "warbler:region",
    says: /not a supported aws region/,
  },
  {
    name: "a malformed CIDR",
    raw: set("warbler:network", ["cidr"], "10.0.0.300/16"),
    key: "warbler:network.cidr",
    says: /octet above 255/,
  },
  {
    name: "a CIDR with host bits set",
    raw: set("warbler:network", ["cidr"], "10.20.1.0/16"),
    key: "warbler:network.cidr",
    says: /network address is 10\.20\.0\.0\/16/,
  },
  {
    name: "a network range too small for three zones",
    raw: set("warbler:network", ["cidr"], "10.20.0.0/24"),
    key: "warbler:network.cidr",
    says: /\/16 to \/20/,
  },
  {
    name: "a pod range overlapping the network",
    raw: set("warbler:cluster", ["podCidr"], "10.20.128.0/17"),
    key: "warbler:cluster.podCidr",
    says: /overlaps 'network\.cidr'/,
  },
  {
    name: "a malformed public access CIDR",
    raw: set("warbler:cluster", ["publicAccessCidrs"], ["203.0.113.0/33"]),
    key: "warbler:cluster.publicAccessCidrs[0]",
    says: /prefix length above 32/,
  },
  {
    name: "min above max node count",
    raw: set("warbler:cluster", ["nodePools", 0, "min"], 9),
    key: "warbler:cluster.nodePools[0].min",
    says: /must not exceed 'max' \(6\)/,
  },
  {
    name: "an unknown size",
    raw: set("warbler:cluster", ["nodePools", 0, "size"], "huge"),
    key: "warbler:cluster.nodePools[0].size",
    says: /small, medium, large, xlarge/,
  },
  {
    name: "duplicate node pool names",
    raw: set(
      "warbler:cluster",
      ["nodePools"],
      [
        { name: "im", size: "large", min: 3, max: 6 },
        { name: "im", size: "small", min: 1, max: 2 },
      ],
    ),
    key: "warbler:cluster.nodePools[1].name",
    says: /must be unique/,
  },
  {
    name: "a backup retention above what all clouds accept",
    raw: set("warbler:database", ["backupRetentionDays"], 40),
    key: "warbler:database.backupRetentionDays",
    says: /at most 35/,
  },
  {
    name: "a backup retention below what all clouds accept",
    raw: set("warbler:database", ["backupRetentionDays"], 3),
    key: "warbler:database.backupRetentionDays",
    says: /at least 7/,
  },
  { name: "a missing domain", raw: set("warbler:domain", [], undefined), key: "warbler:domain", says: /is required/ },
  {
    name: "a domain that is not a DNS name",
    raw: set("warbler:domain", [], "Chat_Example"),
    key: "warbler:domain",
    says: /lowercase DNS name/,
  },
  {
    name: "a malformed ACME e-mail",
    raw: set("warbler:acme", ["email"], "ops-at-example.com"),
    key: "warbler:acme.email",
    says: /e-mail address/,
  },
  // DNS-01 (issue 10, Certificates): the provider must be the stack's own cloud's, the zone must hold the domain.
  {
    name: "a DNS-01 provider of another cloud than the stack's",
    raw: set("warbler:acme", ["dns01"], {
      provider: "azure-dns",
      zone: "example.com",
      subscriptionId: "00000000-0000-0000-0000-000000000000",
      resourceGroup: "dns",
    }),
    key: "warbler:acme.dns01.provider",
    says: /must be route53 on an aws stack/,
  },
  {
    name: "a DNS-01 zone the domain is not in",
    raw: set("warbler:acme", ["dns01"], { provider: "route53", zone: "example.org", hostedZoneId: "Z0123456789ABC" }),
    key: "warbler:acme.dns01.zone",
    says: /must be 'chat\.example\.com' or a parent of it/,
  },
  {
    name: "a Route 53 DNS-01 solver without its hosted zone id",
    raw: set("warbler:acme", ["dns01"], { provider: "route53", zone: "example.com" }),
    key: "warbler:acme.dns01.hostedZoneId",
    says: /is required when provider is route53/,
  },
  {
    name: "an unknown DNS-01 provider",
    raw: set("warbler:acme", ["dns01"], { provider: "cloudflare", zone: "example.com" }),
    key: "warbler:acme.dns01.provider",
    says: /must be one of route53, azure-dns, alidns/,
  },
  {
    name: "a typo in a top-level key",
    raw: { ...base, "warbler:databse": { size: "small" } },
    key: "warbler:databse",
    says: /did you mean 'warbler:database'/,
  },
  {
    name: "a typo in a nested key",
    raw: set("warbler:database", ["storageGB"], 200),
    key: "warbler:database.storageGB",
    says: /did you mean 'warbler:database\.storageGb'/,
  },
  {
    name: "text where a number is expected",
    raw: set("warbler:network", ["zones"], "three"),
    key: "warbler:network.zones",
    says: /must be a number/,
  },
  {
    name: "an unknown data classification",
    raw: set("warbler:tags", ["dataClassification"], "secret"),
    key: "warbler:tags.dataClassification",
    says: /public, internal, confidential, restricted/,
  },
  {
    name: "a missing owner tag",
    raw: set("warbler:tags", ["owner"], undefined),
    key: "warbler:tags.owner",
    says: /is required/,
  },
  {
    name: "an unsupported Kubernetes version",
    raw: set("warbler:cluster", ["version"], "1.20"),
    key: "warbler:cluster.version",
    says: /must be one of 1\.35, 1\.36/,
  },
  {
    name: "an ejabberd image without a tag or digest",
    raw: set("warbler:im", ["image"], "ghcr.io/processone/ejabberd"),
    key: "warbler:im.image",
    says: /must be pinned to a tag other than latest, or a digest/,
  },
  {
    name: "an ejabberd image by digest only, which names no release to render the config for",
    raw: set("warbler:im", ["image"], `ghcr.io/processone/ejabberd@sha256:${"0".repeat(64)}`),
    key: "warbler:im.image",
    says: /must carry the ejabberd release as its tag/,
  },
  {
    name: "an upload size that is not a positive number",
    raw: set("warbler:im", ["maxUploadMb"], -5),
    key: "warbler:im.maxUploadMb",
    says: /must be at least 1/,
  },
  {
    name: "an upload quota that is not a number",
    raw: set("warbler:im", ["uploadQuotaMb"], "lots"),
    key: "warbler:im.uploadQuotaMb",
    says: /number/,
  },
  {
    name: "an upload quota smaller than the largest file",
    raw: set("warbler:im", ["uploadQuotaMb"], 10),
    key: "warbler:im.uploadQuotaMb",
    says: /must be at least maxUploadMb/,
  },
  {
    name: "an empty admin allow-list while the admin API is published",
    raw: withValue(set("warbler:im", ["adminApi"], true), "warbler:im", ["adminCidrs"], []),
    key: "warbler:im.adminCidrs",
    says: /must name at least one network while adminApi is true/,
  },
  {
    name: "the whole Internet on the admin allow-list",
    raw: withValue(set("warbler:im", ["adminApi"], true), "warbler:im", ["adminCidrs"], ["0.0.0.0/0"]),
    key: "warbler:im.adminCidrs[0]",
    says: /must be a \/16 or narrower range/,
  },
  {
    name: "a Gateway idle timeout shorter than the XMPP keepalive",
    raw: set("warbler:im", ["edgeIdleTimeoutSeconds"], 60),
    key: "warbler:im.edgeIdleTimeoutSeconds",
    says: /must be longer than 92 s/,
  },
  {
    name: "an unknown stack kind",
    raw: set("warbler:kind", [], "regional"),
    key: "warbler:kind",
    says: /must be one of platform/,
  },
  {
    name: "Grafana single sign-on without its client secret",
    raw: set("warbler:grafana", ["oidc"], {
      clientId: "warbler-grafana",
      authUrl: "https://login.example.com/authorize",
      tokenUrl: "https://login.example.com/token",
      apiUrl: "https://login.example.com/userinfo",
    }),
    key: "warbler:grafanaOidcClientSecret",
    says: /is required with 'grafana.oidc'/,
  },
];
