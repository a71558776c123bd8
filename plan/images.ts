import { layerCharts, upstreamImages } from "../components/kubernetes/mirror-values";
import type { PlatformConfig } from "../config/schema";
import { mirrorImage, type RegistryMirror } from "../lib/registry-mirror";
import type { PlanDocument } from "./document";

/**
 * What a stack pulls, after the registry mirror: every container image its plan sets, the images its Helm charts
 * deploy that Warbler names, and each chart's source. `warbler images` prints it so that an operator can copy each
 * upstream artefact to the mirror before the first `pulumi up`. Pure: it reads a plan document and the stack config.
 */

/** One image the stack pulls. */
export interface ListedImage {
  /** The reference the cluster pulls: through the mirror when one is set. */
  readonly image: string;
  /** The upstream reference to copy from; undefined if no known upstream image maps to `image`. */
  readonly source?: string;
  /** Whether `image` is on the mirror (always false without one). */
  readonly mirrored: boolean;
  /** Who pulls it: `<kind> <name>` of the planned objects, or `chart <release>` for an image a chart deploys. */
  readonly usedBy: readonly string[];
}

/** One Helm chart the stack installs. */
export interface ListedChart {
  readonly release: string;
  readonly version: string;
  /** Where the release takes the chart from, after the mirror: an `oci://` reference, or `<repo>` and `chart`. */
  readonly chart: string;
  readonly repo?: string;
  /** The upstream chart to copy: an `oci://` reference, or `<repo>` + name. */
  readonly source: { readonly chart: string; readonly repo?: string };
}

export interface StackImages {
  readonly stack: string;
  readonly mirror?: RegistryMirror;
  readonly images: readonly ListedImage[];
  readonly charts: readonly ListedChart[];
  /**
   * Charts whose images Warbler does not name one by one; only their registry is set (kube-prometheus-stack's
   * `global.imageRegistry`). Their images are listed by rendering the chart (`helm template`).
   */
  readonly renderedByChart: readonly { readonly release: string; readonly registry: string }[];
}

const releaseType = "kubernetes:helm.sh/v3:Release";

/** Every `image` string in an object tree (containers, init containers, an EnvoyProxy's container). */
function imagesIn(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) imagesIn(item, found);
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "image" && typeof child === "string") found.add(child);
      else imagesIn(child, found);
    }
  }
  return found;
}

/** The listing for a planned stack and its config. */
export function stackImages(doc: PlanDocument, config: PlatformConfig): StackImages {
  const mirror = config.cluster.registryMirror;
  const through = (image: string) => mirrorImage(image, mirror?.images);
  const sources = new Map(upstreamImages(config).map((upstream) => [through(upstream), upstream]));
  const usedBy = new Map<string, Set<string>>();
  const use = (image: string, user: string) => usedBy.set(image, (usedBy.get(image) ?? new Set()).add(user));
  const charts: ListedChart[] = [];
  const renderedByChart: { release: string; registry: string }[] = [];
  for (const resource of doc.resources) {
    if (resource.type === releaseType) {
      const inputs = resource.inputs as unknown as ReleaseInputs;
      const release = inputs.name ?? resource.name;
      const pin = layerCharts[release];
      charts.push({
        release,
        version: inputs.version,
        chart: inputs.chart,
        ...(inputs.repositoryOpts?.repo ? { repo: inputs.repositoryOpts.repo } : {}),
        source: pin ? { chart: pin.chart, ...(pin.repo ? { repo: pin.repo } : {}) } : { chart: inputs.chart },
      });
      for (const image of pin?.images ?? []) use(through(image), `chart ${release}`);
      if (pin?.images.length === 0) renderedByChart.push({ release, registry: mirror?.images ?? "(the chart's own)" });
    } else if (resource.type.startsWith("kubernetes:")) {
      const kind = resource.type.split(":").pop() ?? resource.type;
      for (const image of imagesIn(resource.inputs, new Set())) use(image, `${kind} ${resource.name}`);
    }
  }
  const images = [...usedBy.entries()]
    .map(([image, users]) => ({
      image,
      ...(sources.has(image) ? { source: sources.get(image) } : {}),
      mirrored: mirror?.images !== undefined && image.startsWith(`${mirror.images}/`),
      usedBy: [...users].sort(),
    }))
    .sort((a, b) => a.image.localeCompare(b.image));
  return { stack: doc.stack, ...(mirror ? { mirror } : {}), images, charts, renderedByChart };
}

interface ReleaseInputs {
  name?: string;
  chart: string;
  version: string;
  repositoryOpts?: { repo?: string };
}
