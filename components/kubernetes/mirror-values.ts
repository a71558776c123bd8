import type { ReleaseArgs } from "@pulumi/kubernetes/helm/v3";
import { defaultPsqlImage } from "../../charts/im/database-job";
import { defaultImages, type ImImages } from "../../charts/im/props";
import type { PlatformConfig } from "../../config/schema";
import {
  type ChartSource,
  mirrorChart,
  mirrorImage,
  mirrorRepository,
  type RegistryMirror,
} from "../../lib/registry-mirror";
import { alidnsWebhook } from "./acme-solvers";
import { helmCharts } from "./versions";

/**
 * What `warbler:cluster.registryMirror` changes in the Kubernetes layer, as pure data: each Helm release's chart
 * source, the chart values that set its images' registry, and the IM chart's own images. Which values set the
 * registry is each chart's own choice, so each is named here with the chart's source.
 */

/** A pinned chart as versions.ts and acme-solvers.ts hold it: an `oci://` reference, or a name in a repository. */
export interface PinnedChart {
  readonly chart: string;
  readonly version: string;
  readonly repo?: string;
}

/**
 * The `chart` and `repositoryOpts` of a helm.v3.Release for `pin` through the chart mirror: an `oci://` reference goes
 * in `chart` with no repository, as for Envoy Gateway's own chart (Release's OCI support, pulumi-kubernetes#1892);
 * a chart of an HTTPS repository goes by name with `repositoryOpts.repo`.
 */
export function releaseChart(
  pin: PinnedChart,
  mirror: RegistryMirror | undefined,
): Pick<ReleaseArgs, "chart" | "repositoryOpts"> {
  const source: ChartSource = mirrorChart(
    { chart: pin.chart, ...(pin.repo ? { repo: pin.repo } : {}) },
    mirror?.charts,
  );
  return { chart: source.chart, ...(source.repo ? { repositoryOpts: { repo: source.repo } } : {}) };
}

/**
 * Upstream images the pinned charts deploy whose references Warbler sets itself when a mirror is on, so that they are
 * known here exactly. Envoy Gateway's controller image is `docker.io/envoyproxy/gateway:<chart version>`
 * (gateway-helm templates/_helpers.tpl `eg.image`, also used for the certgen Job and the shutdown manager); the Envoy
 * proxy image is v1.9.2's `DefaultEnvoyProxyImage` (api/v1alpha1/shared_types.go), which a Gateway pulls from
 * docker.io unless its EnvoyProxy names another (gateway.envoyproxy.io/docs/tasks/operations/airgap-deployment).
 * cert-manager's five images are `quay.io/jetstack/cert-manager-<component>`, tagged with the chart's appVersion, which
 * equals its version (values.yaml `image.repository` and the components' own `image.repository`, v1.19).
 */
export const chartImages = {
  envoyGateway: `docker.io/envoyproxy/gateway:${helmCharts.envoyGateway.version}`,
  envoyProxy: "docker.io/envoyproxy/envoy:distroless-v1.39.1",
  certManager: Object.fromEntries(
    (["controller", "webhook", "cainjector", "acmesolver", "startupapicheck"] as const).map((component) => [
      component,
      `quay.io/jetstack/cert-manager-${component}:${helmCharts.certManager.version}`,
    ]),
  ) as Record<"controller" | "webhook" | "cainjector" | "acmesolver" | "startupapicheck", string>,
  /** Rendered as `<image.repository>:<image.tag>`; the repository defaults to Docker Hub's wjiec/alidns-webhook. */
  alidnsWebhook: `docker.io/wjiec/alidns-webhook:${alidnsWebhook.version}`,
} as const;

/** gateway-helm's `global.images.envoyGateway.image`: the full image, which the chart renders as it is. */
export function envoyGatewayMirrorValues(mirror: RegistryMirror | undefined): Record<string, unknown> {
  if (!mirror?.images) return {};
  return { global: { images: { envoyGateway: { image: mirrorImage(chartImages.envoyGateway, mirror.images) } } } };
}

/** The EnvoyProxy's `envoyDeployment.container.image` (KubernetesContainerSpec); undefined keeps the default. */
export function envoyProxyImage(mirror: RegistryMirror | undefined): string | undefined {
  return mirror?.images ? mirrorImage(chartImages.envoyProxy, mirror.images) : undefined;
}

/**
 * cert-manager's per-component `image.repository` (controller at the top level; webhook, cainjector, acmesolver and
 * startupapicheck under their own keys); the tag stays the chart's appVersion. The controller passes the acmesolver
 * image to HTTP-01 solver pods (`--acme-http01-solver-image`), so that one is pulled too.
 */
export function certManagerMirrorValues(mirror: RegistryMirror | undefined): Record<string, unknown> {
  if (!mirror?.images) return {};
  const images = chartImages.certManager;
  const repository = (component: keyof typeof images) => ({
    image: { repository: mirrorRepository(images[component], mirror.images) },
  });
  return {
    ...repository("controller"),
    webhook: repository("webhook"),
    cainjector: repository("cainjector"),
    acmesolver: repository("acmesolver"),
    startupapicheck: repository("startupapicheck"),
  };
}

/**
 * kube-prometheus-stack's `global.imageRegistry` ("Global image registry to use if it needs to be overridden",
 * values.yaml): it replaces the registry of the operator, Prometheus, Alertmanager, the config reloader and the
 * admission-webhook Job, and, as a Helm global, of the grafana, kube-state-metrics and prometheus-node-exporter
 * sub-charts, which read the same key. Repository paths and tags stay the chart's.
 */
export function kubePrometheusStackMirrorValues(mirror: RegistryMirror | undefined): Record<string, unknown> {
  return mirror?.images ? { global: { imageRegistry: mirror.images } } : {};
}

/** The alidns webhook chart's `image.repository` (deployment.yaml renders `<repository>:<tag>`). */
export function alidnsWebhookMirrorValues(mirror: RegistryMirror | undefined): Record<string, unknown> {
  return mirror?.images ? { image: { repository: mirrorRepository(chartImages.alidnsWebhook, mirror.images) } } : {};
}

/** The IM chart's images through the mirror; `{}` without one, so the chart's defaults and their docs stay in force. */
export function imImagesThroughMirror(ejabberd: string, mirror: RegistryMirror | undefined): Partial<ImImages> {
  if (!mirror?.images) return { ejabberd };
  return {
    ejabberd: mirrorImage(ejabberd, mirror.images),
    eturnal: mirrorImage(defaultImages.eturnal, mirror.images),
    node: mirrorImage(defaultImages.node, mirror.images),
  };
}

/** The database setup Job's images through the mirror (its ejabberd image is the StatefulSet's). */
export function setupImagesThroughMirror(
  ejabberd: string,
  mirror: RegistryMirror | undefined,
): { ejabberdImage: string; psqlImage?: string } {
  if (!mirror?.images) return { ejabberdImage: ejabberd };
  return {
    ejabberdImage: mirrorImage(ejabberd, mirror.images),
    psqlImage: mirrorImage(defaultPsqlImage, mirror.images),
  };
}

/**
 * Merges Helm values: objects key by key, anything else replaced by `extra`. New objects; neither input is changed.
 * Mirror values add `image` keys beside a component's other settings (cert-manager's `webhook.replicaCount`).
 */
export function mergeValues(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/**
 * Every chart the layer may install, by release name, with the upstream images Warbler names for it (an empty list:
 * the chart's images are only re-registered, see kubePrometheusStackMirrorValues). For `warbler images`.
 */
export const layerCharts: Record<string, PinnedChart & { readonly images: readonly string[] }> = {
  [helmCharts.envoyGateway.release]: {
    ...helmCharts.envoyGateway,
    images: [chartImages.envoyGateway, chartImages.envoyProxy],
  },
  "cert-manager": { ...helmCharts.certManager, images: Object.values(chartImages.certManager) },
  [helmCharts.kubePrometheusStack.release]: { ...helmCharts.kubePrometheusStack, images: [] },
  [alidnsWebhook.releaseName]: { ...alidnsWebhook, images: [chartImages.alidnsWebhook] },
};

/**
 * Upstream images the stack may pull, each as Warbler pins it: the IM chart's, the database setup Job's psql, the
 * failover Jobs', and those the Helm charts deploy that Warbler names (layerCharts).
 */
export function upstreamImages(config: PlatformConfig): string[] {
  return [
    config.im.image,
    ...Object.values(defaultImages),
    defaultPsqlImage,
    config.failover.replication.image,
    config.failover.files.image,
    ...Object.values(layerCharts).flatMap((chart) => chart.images),
  ];
}
