import { z } from "zod";
import { overlaps, parseCidr } from "../lib/cidr";
import { imNodePool } from "../lib/im-sizing";
import { chartsMirrorProblem, imagesMirrorProblem } from "../lib/registry-mirror";
import { acmeIssues, acmeSchema } from "./acme";
import { grafanaIssues, grafanaSchema } from "./analytics";
import { clouds, kubernetesVersions, postgresVersions, sizes } from "./clouds";
import { deployPathIssues } from "./cluster";
import { failoverSchema } from "./failover";
import { caBundle, cidr, cidrList, hostname, shortName } from "./fields";
import { imIssues, imSchema } from "./im";
import { regions } from "./regions";

/**
 * Where Alibaba Cloud publishes the CA chain ("ApsaraDB-CA-Chain") that signs
 * RDS cloud certificates (DescribeDBInstanceSSL returns it as ServerCAUrl).
 * It is config knowledge: the description of `database.caBundle` sends the operator there.
 */
export const apsaraDbCaChainUrl = "https://apsaradb-public.oss-ap-southeast-1.aliyuncs.com/ApsaraDB-CA-Chain.zip";

/**
 * Every `warbler:*` key of a platform stack, defined once. Keys are the
 * top-level properties; docs/config.md is generated from this schema
 * (npm run docs:config) and a test keeps it in step.
 */
export const platformShape = {
  kind: z
    .literal("platform")
    .default("platform")
    .describe('Stack kind: a platform on one cloud (the global DNS stack sets "global").'),
  cloud: z.enum(clouds).describe("The cloud this stack deploys to."),
  region: z
    .string()
    .describe("Region of the cloud; must offer every managed service the kit uses (see Regions below)."),
  name: shortName(10).default("warbler").describe("Short name that prefixes every cloud resource name."),
  domain: hostname.describe("The IM domain users log in to (their JIDs end in @domain); also the TLS host name."),
  tags: z
    .strictObject({
      owner: z.string().min(1).max(64).describe("Team or person accountable for the stack; set as the `owner` tag."),
      dataClassification: z
        .enum(["public", "internal", "confidential", "restricted"])
        .describe("Classification of the data the platform holds; set as the `data-classification` tag."),
      costCenter: z.string().min(1).max(64).optional().describe("Optional cost centre, set as the `cost-center` tag."),
    })
    .describe("Tags (labels) put on every resource that takes them; policies require owner and data-classification."),
  acme: acmeSchema,
  network: z
    .strictObject({
      cidr: cidr
        .default("10.20.0.0/16")
        .describe("Address range of the VPC/VNet, /16 to /20; must not overlap a failover peer's."),
      zones: z
        .number()
        .int()
        .min(2)
        .max(3)
        .default(3)
        .describe("Availability zones to spread subnets, nodes and the database over."),
    })
    .prefault({})
    .describe("The private network."),
  cluster: z
    .strictObject({
      version: z.enum(kubernetesVersions).default("1.36").describe("Kubernetes minor version of the managed cluster."),
      publicAccessCidrs: cidrList
        .default([])
        .describe(
          "Public CIDRs allowed to reach the API server over its public endpoint (where `pulumi up` runs from); " +
            "empty keeps the endpoint private only.",
        ),
      privateAccessCidrs: cidrList
        .default([])
        .describe(
          "CIDRs of in-network deployers (a CI runner inside the network, or one reached over VPN or peering) " +
            "allowed to reach the private API endpoint.",
        ),
      adminPrincipals: z
        .array(z.string().min(1))
        .max(20)
        .default([])
        .describe(
          "AWS only: IAM role or user ARNs given cluster-admin besides the deployer, through EKS access entries " +
            "(the azure and alicloud kits refuse a non-empty list).",
        ),
      azureLogin: z
        .enum(["azurecli", "spn", "workloadidentity"])
        .default("azurecli")
        .describe(
          "Azure only: how the kubeconfig's kubelogin signs in without a person: azurecli (the `az login` session), " +
            "spn (AZURE_CLIENT_ID and AZURE_CLIENT_SECRET) or workloadidentity (AZURE_FEDERATED_TOKEN_FILE).",
        ),
      azurePrincipalType: z
        .enum(["User", "ServicePrincipal", "Group"])
        .default("User")
        .describe(
          "Azure only: the kind of Entra principal `pulumi up` runs as; its role assignments (cluster admin, " +
            "vault) name it, and ARM refuses a mismatch (UnmatchedPrincipalType).",
        ),
      azurePolicy: z.boolean().default(true).describe("Azure only: turn on the Azure Policy add-on of AKS."),
      azureDefender: z
        .boolean()
        .default(false)
        .describe("Azure only: turn on Microsoft Defender for Containers' sensor, reporting to the audit workspace."),
      azureEncryptionAtHost: z
        .boolean()
        .default(false)
        .describe(
          "Azure only: encrypt node temp disks and caches at host; register the EncryptionAtHost feature first " +
            "(docs/azure.md).",
        ),
      alicloudMlpsHardening: z
        .boolean()
        .default(false)
        .describe(
          "alicloud only: harden the node OS to China's MLPS 2.0 level 3 baseline (ACK 'socEnabled') instead of " +
            "Alibaba Cloud Linux's default hardening (docs/alicloud.md).",
        ),
      alicloudDkmsInstanceId: z
        .string()
        .regex(/^kst-[a-z0-9]+$/, "must be a KMS instance id such as kst-hzz62ee817bvyyr5xxxxx")
        .optional()
        .describe(
          "alicloud only: KMS instance (kst-...) that holds the stack key; unset uses the region's default key, " +
            "which only one Warbler stack per account and region may use (docs/alicloud.md).",
        ),
      registryMirror: z
        .strictObject({
          images: z
            .string()
            .superRefine(problemOf(imagesMirrorProblem))
            .optional()
            .describe(
              "Registry host[/path] that replaces the registry of every image the stack deploys, keeping repository, " +
                "tag and digest (ghcr.io/processone/ejabberd:26.07 becomes <images>/processone/ejabberd:26.07).",
            ),
          charts: z
            .string()
            .superRefine(problemOf(chartsMirrorProblem))
            .optional()
            .describe(
              "oci:// or https:// Helm repository that replaces the repository of every Helm chart; each chart is " +
                "taken by its own name under it.",
            ),
        })
        .optional()
        .describe(
          "Mirrors for images and Helm charts, for regions that reach docker.io, ghcr.io, quay.io and github.io " +
            "unreliably, as in mainland China; `warbler images <stack>` lists what to copy there (docs/alicloud.md).",
        ),
      serviceCidr: cidr
        .default("172.20.0.0/16")
        .describe("Cluster-internal Service range; must not overlap the network or pod range."),
      podCidr: cidr
        .default("172.16.0.0/16")
        .describe("Pod range for overlay networking; must not overlap the network or Service range."),
      nodePools: z
        .array(
          z.strictObject({
            name: shortName(12).describe("Pool name."),
            size: z
              .enum(sizes)
              .describe("Abstract node size (small 2 vCPU/8 GiB, medium 4/16, large 8/32, xlarge 16/64)."),
            min: z.number().int().min(1).max(100).describe("Minimum nodes, spread over the zones."),
            max: z.number().int().min(1).max(100).describe("Maximum nodes the autoscaler may add."),
          }),
        )
        .min(1)
        .max(8)
        .default([{ name: "im", size: "large", min: 3, max: 6 }])
        .describe("Managed node pools; they autoscale between min and max."),
      auditLogRetentionDays: z
        .number()
        .int()
        .min(30)
        .max(3650)
        .default(365)
        .describe("Days the control-plane audit log is kept in the cloud's log service."),
    })
    .prefault({})
    .describe("The managed Kubernetes cluster."),
  database: z
    .strictObject({
      version: z.enum(postgresVersions).default("16").describe("PostgreSQL major version."),
      size: z
        .enum(sizes)
        .default("medium")
        .describe("Abstract database size (same vCPU/memory classes as node sizes)."),
      storageGb: z.number().int().min(20).max(16384).default(100).describe("Allocated storage in GiB."),
      highAvailability: z
        .boolean()
        .default(true)
        .describe("A synchronous standby in another zone with automatic failover."),
      backupRetentionDays: z
        .number()
        .int()
        .min(7)
        .max(35)
        .default(14)
        .describe("Days of automated backups; 7-35 is the range all three clouds accept."),
      deletionProtection: z.boolean().default(true).describe("Refuse to delete the database until this is turned off."),
      caBundle: caBundle
        .optional()
        .describe(
          `alicloud only: PEM of the ApsaraDB CA chain from ${apsaraDbCaChainUrl}, which ejabberd verifies ` +
            `the database against; until it is set, ejabberd does not connect.`,
        ),
    })
    .prefault({})
    .describe("The managed PostgreSQL server."),
  storage: z
    .strictObject({
      noncurrentVersionDays: z
        .number()
        .int()
        .min(1)
        .max(3650)
        .default(30)
        .describe("Days an overwritten or deleted file version is kept before it expires."),
      expireAfterDays: z
        .number()
        .int()
        .min(0)
        .max(36500)
        .default(0)
        .describe("Days after which uploaded files are deleted; 0 keeps them forever."),
    })
    .prefault({})
    .describe("The object storage bucket for uploaded files."),
  // An absent warbler:im parses as {}, so its defaults apply (and an error would name a key, not the whole map).
  im: imSchema.prefault({} as z.input<typeof imSchema>),
  failover: failoverSchema.prefault({}),
  alertWebhook: z
    .url({ protocol: /^https$/ })
    .optional()
    .describe("HTTPS webhook that receives alerts (Slack, Teams, PagerDuty); a credential, so set it with --secret."),
  grafana: grafanaSchema.prefault({}),
  grafanaOidcClientSecret: z
    .string()
    .min(1)
    .optional()
    .describe("Client secret of `grafana.oidc`; a credential, so set it with --secret."),
};

/**
 * Cross-field rules. They run even when single fields failed (`when`), so one
 * run reports every problem; hence the defensive reads of a partial value.
 * Each kit's own rules join them in loadConfig, which takes them from its caller.
 */
const platformObject = z.strictObject(platformShape);

export const platformSchema = platformObject.superRefine(
  (parsed, ctx) => {
    const config = parsed as PartialPlatformConfig;
    const cloud = config.cloud;
    if (
      cloud &&
      clouds.includes(cloud) &&
      typeof config.region === "string" &&
      !regions[cloud].includes(config.region)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["region"],
        message: `is not a supported ${cloud} region; use one of ${regions[cloud].join(", ")}`,
      });
    }
    const network = parseCidr(String(config.network?.cidr));
    if (network && (network.prefix < 16 || network.prefix > 20)) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "cidr"],
        message: "must be a /16 to /20 range, large enough for three zones of subnets",
      });
    }
    const ranges: [string, unknown][] = [
      ["network.cidr", config.network?.cidr],
      ["cluster.serviceCidr", config.cluster?.serviceCidr],
      ["cluster.podCidr", config.cluster?.podCidr],
      ["failover.peer.cidr", config.failover?.peer?.cidr],
    ];
    if (cloud && config.failover?.peer?.cloud === cloud)
      ctx.addIssue({
        code: "custom",
        path: ["failover", "peer", "cloud"],
        message: `must differ from 'cloud' (${cloud}): failover pairs two clouds`,
      });
    ranges.forEach(([keyA, a], i) => {
      for (const [keyB, b] of ranges.slice(i + 1)) {
        const pa = parseCidr(String(a));
        const pb = parseCidr(String(b));
        if (pa && pb && overlaps(pa, pb)) {
          ctx.addIssue({ code: "custom", path: keyB.split("."), message: `overlaps '${keyA}' (${String(a)})` });
        }
      }
    });
    for (const issue of deployPathIssues(config)) ctx.addIssue({ code: "custom", ...issue });
    for (const issue of acmeIssues(config)) ctx.addIssue({ code: "custom", ...issue });
    for (const issue of imIssues(config)) ctx.addIssue({ code: "custom", ...issue });
    for (const issue of grafanaIssues(config)) ctx.addIssue({ code: "custom", ...issue });
    const pools = Array.isArray(config.cluster?.nodePools) ? config.cluster.nodePools : [];
    const seen = new Set<unknown>();
    pools.forEach((pool, i) => {
      if (typeof pool?.min === "number" && typeof pool.max === "number" && pool.min > pool.max) {
        ctx.addIssue({
          code: "custom",
          path: ["cluster", "nodePools", i, "min"],
          message: `must not exceed 'max' (${pool.max})`,
        });
      }
      // Every kit creates the dedicated ejabberd pool under this name itself (lib/im-sizing.ts).
      if (pool?.name === imNodePool.name)
        ctx.addIssue({
          code: "custom",
          path: ["cluster", "nodePools", i, "name"],
          message:
            `is reserved: every kit creates the dedicated '${imNodePool.name}' node pool itself, sized from ` +
            "'warbler:im.sessionsPerInstance'; name the pool otherwise",
        });
      if (pool?.name !== undefined && seen.has(pool.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["cluster", "nodePools", i, "name"],
          message: "is used by another pool; pool names must be unique",
        });
      }
      seen.add(pool?.name);
    });
  },
  { when: () => true },
);

/** A zod refinement from a `(value) => problem | undefined` check of lib/. */
function problemOf(problem: (value: string) => string | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const found = problem(value);
    if (found) ctx.addIssue({ code: "custom", message: found });
  };
}

type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * A platform config as a rule sees it when other keys failed: any key may be
 * missing, and a key that failed holds whatever was received, so read defensively.
 */
export type PartialPlatformConfig = DeepPartial<PlatformConfig>;

export type PlatformConfig = z.output<typeof platformObject>;

/**
 * Keys whose values are credentials. They are wrapped in pulumi.secret by the
 * program, redacted in errors and plans, and, in an offline plan where the
 * stack file's `secure:` value cannot be decrypted, stood in for by a
 * placeholder that passes validation.
 */
export const secretKeyPlaceholders: Record<string, string> = {
  "warbler:alertWebhook": "https://redacted.invalid/webhook",
  "warbler:grafanaOidcClientSecret": "redacted-oidc-client-secret",
};
