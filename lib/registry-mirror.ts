/**
 * Registry mirrors (`warbler:cluster.registryMirror`): where a stack pulls its container images and Helm charts from
 * when the upstream registries are out of reach, as from mainland China. Pure functions only.
 */

/** The mirror settings as the config holds them; both optional. */
export interface RegistryMirror {
  /** Registry host[:port][/path] that replaces the registry of every image, keeping repository and tag or digest. */
  readonly images?: string;
  /** `oci://` or `https://` base that replaces the repository of every Helm chart, the chart's name under it. */
  readonly charts?: string;
}

/** An image reference split as a container runtime reads it (distribution/reference's normalisation). */
export interface ImageRef {
  /** Registry host, with port if any: `docker.io` when the reference names none. */
  readonly registry: string;
  /** Path inside the registry: `library/<name>` for a one-part Docker Hub name. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>`. */
  readonly digest?: string;
}

/** Docker Hub's canonical host: what a reference without a registry means. */
export const dockerHub = "docker.io";

/**
 * Splits an image reference. The first path part is a registry only if it has a dot or a port, or is `localhost`
 * (distribution/reference normalize.go `splitDockerDomain`); otherwise the image is on Docker Hub, and a one-part name
 * lives under `library/`. `index.docker.io` is Docker Hub's legacy name for the same registry.
 */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf("@");
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const named = at >= 0 ? ref.slice(0, at) : ref;
  const slash = named.lastIndexOf("/");
  const colon = named.lastIndexOf(":");
  const tag = colon > slash ? named.slice(colon + 1) : undefined;
  const name = colon > slash ? named.slice(0, colon) : named;
  const first = name.split("/")[0];
  const hasRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasRegistry ? first : dockerHub;
  let repository = hasRegistry ? name.slice(first.length + 1) : name;
  if (registry === "index.docker.io") registry = dockerHub;
  if (registry === dockerHub && !repository.includes("/")) repository = `library/${repository}`;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The full reference: registry, repository, then `:tag` and `@digest` when present. */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}

/**
 * The image as pulled through the mirror: the mirror's host and path in place of the registry, the repository path,
 * tag and digest unchanged (so a pinned digest still pins the same bytes). Without a mirror, the reference as given.
 */
export function mirrorImage(ref: string, images: string | undefined): string {
  if (!images) return ref;
  const parsed = parseImageRef(ref);
  return formatImageRef({ ...parsed, registry: images });
}

/** The repository part alone (no tag), through the mirror: for charts whose values take repository and tag apart. */
export function mirrorRepository(ref: string, images: string | undefined): string {
  const { tag: _tag, digest: _digest, ...rest } = parseImageRef(mirrorImage(ref, images));
  return formatImageRef(rest);
}

/** Where a Helm release takes its chart from: an `oci://` reference alone, or a chart name in an HTTPS repository. */
export interface ChartSource {
  readonly chart: string;
  readonly repo?: string;
}

/** A chart's own name: the last path part of an `oci://` reference, or the name itself. */
export function chartName(chart: string): string {
  return chart.slice(chart.lastIndexOf("/") + 1);
}

/**
 * The chart's source through the mirror: under an `oci://` base, the reference `<base>/<name>`; under an `https://`
 * base, the chart name in that repository. Without a mirror, the source as given.
 */
export function mirrorChart(source: ChartSource, charts: string | undefined): ChartSource {
  if (!charts) return source;
  const name = chartName(source.chart);
  return charts.startsWith("oci://") ? { chart: `${charts}/${name}` } : { chart: name, repo: charts };
}

const LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const HOST = `${LABEL}(\\.${LABEL})+(:[0-9]{1,5})?`;
/** A repository path part as distribution/reference's grammar allows it (lowercase, separators inside). */
const PATH_PART = "[a-z0-9]+([._-][a-z0-9]+)*";
const IMAGES_RE = new RegExp(`^${HOST}(/${PATH_PART})*$`);
const CHARTS_RE = new RegExp(`^(oci|https)://${HOST}(/${PATH_PART})*$`);

/** Why `value` is no image mirror, or undefined when it is one. */
export function imagesMirrorProblem(value: string): string | undefined {
  if (IMAGES_RE.test(value)) return undefined;
  return (
    "must be a registry host name with an optional port and path, no scheme and no trailing slash, such as " +
    "registry.cn-hangzhou.aliyuncs.com/warbler or warbler-registry.cn-hangzhou.cr.aliyuncs.com"
  );
}

/** Why `value` is no chart mirror, or undefined when it is one. */
export function chartsMirrorProblem(value: string): string | undefined {
  if (CHARTS_RE.test(value)) return undefined;
  return (
    "must be an oci:// or https:// URL of a host with an optional path, no trailing slash, such as " +
    "oci://warbler-registry.cn-hangzhou.cr.aliyuncs.com/charts"
  );
}

/** Registries the stack's upstream images and charts live on, which mainland China reaches unreliably. */
export const upstreamRegistries = ["docker.io", "ghcr.io", "quay.io", "registry.k8s.io"] as const;

/**
 * The plan-time warning for a mainland China region (`cn-*`, Hong Kong excepted: it reaches the upstream registries
 * directly) with a part of the mirror unset; undefined when there is nothing to warn about.
 */
export function mirrorWarning(region: string, mirror: RegistryMirror | undefined): string | undefined {
  if (!region.startsWith("cn-") || region === "cn-hongkong") return undefined;
  const missing = [...(mirror?.images ? [] : ["images"]), ...(mirror?.charts ? [] : ["charts"])];
  if (missing.length === 0) return undefined;
  return (
    `warbler:cluster.registryMirror.${missing.join(" and .")} ${missing.length > 1 ? "are" : "is"} not set while ` +
    `region ${region} is in mainland China: the stack pulls from ${upstreamRegistries.join(", ")} and Helm ` +
    "repositories on github.io, which are unreliable from there, so pods may stay in ImagePullBackOff and Helm " +
    "releases time out. Copy what `warbler images <stack>` lists to a registry in the region (ACR) and set the " +
    "mirror (docs/alicloud.md, Mainland China: mirrors)."
  );
}
