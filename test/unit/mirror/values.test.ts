import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kitDescriptors } from "../../../components/kits";
import { envoyProxySpec } from "../../../components/kubernetes/envoy-gateway";
import { databaseSetupProps, imChartProps } from "../../../components/kubernetes/im-props";
import {
  alidnsWebhookMirrorValues,
  certManagerMirrorValues,
  chartImages,
  envoyGatewayMirrorValues,
  envoyProxyImage,
  kubePrometheusStackMirrorValues,
  layerCharts,
  mergeValues,
  releaseChart,
} from "../../../components/kubernetes/mirror-values";
import { helmCharts } from "../../../components/kubernetes/versions";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { exampleRawConfig, withValue } from "../../support/stack-config";

const images = "warbler-registry.cn-hangzhou.cr.aliyuncs.com/mirror";
const charts = "oci://warbler-registry.cn-hangzhou.cr.aliyuncs.com/charts";
const mirror = { images, charts };

describe("registry mirror: Helm releases", () => {
  it("takes every chart from the mirror base by its own name, and from upstream without a mirror", () => {
    assert.deepEqual(releaseChart(helmCharts.envoyGateway, mirror), { chart: `${charts}/gateway-helm` });
    assert.deepEqual(releaseChart(helmCharts.certManager, mirror), { chart: `${charts}/cert-manager` });
    assert.deepEqual(releaseChart(helmCharts.certManager, { charts: "https://charts.example.cn" }), {
      chart: "cert-manager",
      repositoryOpts: { repo: "https://charts.example.cn" },
    });
    assert.deepEqual(releaseChart(helmCharts.kubePrometheusStack, undefined), {
      chart: "kube-prometheus-stack",
      repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
    });
    assert.deepEqual(releaseChart(helmCharts.envoyGateway, { images }), { chart: helmCharts.envoyGateway.chart });
  });

  it("sets gateway-helm's global.images.envoyGateway.image, rendered as is (_helpers.tpl eg.image)", () => {
    assert.deepEqual(envoyGatewayMirrorValues(mirror), {
      global: {
        images: { envoyGateway: { image: `${images}/envoyproxy/gateway:${helmCharts.envoyGateway.version}` } },
      },
    });
    assert.deepEqual(envoyGatewayMirrorValues({ charts }), {});
  });

  it("names the Envoy proxy image in the EnvoyProxy, or docker.io is pulled (EG docs, airgap deployment)", () => {
    const loadBalancer = { tcpAnnotations: {}, externalTrafficPolicy: "Local" } as const;
    const container = (spec: Record<string, unknown>) =>
      (spec as { provider: { kubernetes: { envoyDeployment: { container: Record<string, unknown> } } } }).provider
        .kubernetes.envoyDeployment.container;
    assert.equal(
      container(envoyProxySpec(loadBalancer, envoyProxyImage(mirror))).image,
      `${images}/envoyproxy/envoy:distroless-v1.39.1`,
    );
    assert.equal("image" in container(envoyProxySpec(loadBalancer, envoyProxyImage(undefined))), false);
  });

  it("repoints cert-manager's five image repositories and keeps the components' other values", () => {
    // values.yaml (v1.19): image.repository quay.io/jetstack/cert-manager-controller, and webhook, cainjector,
    // acmesolver, startupapicheck each with their own image.repository; the tag is the chart's appVersion.
    const merged = mergeValues(
      { replicaCount: 2, webhook: { replicaCount: 2 }, cainjector: { resources: { limits: { cpu: "250m" } } } },
      certManagerMirrorValues(mirror),
    ) as Record<string, Record<string, unknown>>;
    assert.deepEqual(merged.image, { repository: `${images}/jetstack/cert-manager-controller` });
    assert.deepEqual(merged.webhook, {
      replicaCount: 2,
      image: { repository: `${images}/jetstack/cert-manager-webhook` },
    });
    assert.deepEqual(merged.cainjector.resources, { limits: { cpu: "250m" } });
    for (const component of ["cainjector", "acmesolver", "startupapicheck"])
      assert.equal(
        (merged[component].image as { repository: string }).repository,
        `${images}/jetstack/cert-manager-${component}`,
      );
    assert.equal(merged.replicaCount, 2);
    assert.deepEqual(certManagerMirrorValues(undefined), {});
  });

  it("sets kube-prometheus-stack's global.imageRegistry, which its sub-charts read too", () => {
    assert.deepEqual(kubePrometheusStackMirrorValues(mirror), { global: { imageRegistry: images } });
    assert.deepEqual(kubePrometheusStackMirrorValues({ charts }), {});
  });

  it("repoints the alidns webhook's image.repository, the tag staying pinned", () => {
    assert.deepEqual(alidnsWebhookMirrorValues(mirror), { image: { repository: `${images}/wjiec/alidns-webhook` } });
    assert.equal(chartImages.alidnsWebhook.endsWith(`:${layerCharts["alidns-webhook"].version}`), true);
  });

  it("names the upstream images the pinned charts pull, at the tags those chart versions use", () => {
    // gateway-helm templates/_helpers.tpl `eg.image`: docker.io/envoyproxy/gateway:{{ .Chart.Version }} by default.
    assert.equal(chartImages.envoyGateway, `docker.io/envoyproxy/gateway:${helmCharts.envoyGateway.version}`);
    // Envoy Gateway v1.9.2's DefaultEnvoyProxyImage (api/v1alpha1/shared_types.go); several public deployments pin
    // gateway v1.9.2 with "the proxy it runs by default" docker.io/envoyproxy/envoy:distroless-v1.39.1. A chart bump
    // must revisit this pin: the assertion ties the two.
    assert.deepEqual(
      [helmCharts.envoyGateway.version, chartImages.envoyProxy],
      ["v1.9.2", "docker.io/envoyproxy/envoy:distroless-v1.39.1"],
    );
    // cert-manager's chart version equals its appVersion, the git tag with its v (make/manifests.mk `helm package
    // --app-version=$(VERSION) --version=$(VERSION)`), and the image tag defaults to the appVersion (values.yaml).
    for (const image of Object.values(chartImages.certManager))
      assert.match(image, new RegExp(`^quay\\.io/jetstack/cert-manager-[a-z]+:${helmCharts.certManager.version}$`));
  });

  it("merges without changing either input", () => {
    const base = { webhook: { replicaCount: 2 } };
    const extra = { webhook: { image: { repository: "r" } } };
    mergeValues(base, extra);
    assert.deepEqual(base, { webhook: { replicaCount: 2 } });
    assert.deepEqual(extra, { webhook: { image: { repository: "r" } } });
  });
});

describe("registry mirror: the IM chart and the database setup Job", () => {
  const config = (raw: Record<string, unknown>) => loadConfig(raw, { cloudRules: kitDescriptors }) as PlatformConfig;
  const cluster = exampleRawConfig("alicloud")["warbler:cluster"] as Record<string, unknown>;
  const mirrored = config(
    withValue(exampleRawConfig("alicloud"), "warbler:cluster", [], { ...cluster, registryMirror: mirror }),
  );
  const facts = {} as Parameters<typeof databaseSetupProps>[1];

  it("pulls ejabberd, eturnal, node and psql through the mirror, same tags", () => {
    const props = imChartProps(mirrored, { ...facts, databaseHost: "db", bucketProtocol: "s3" } as never, {
      ejabberdConfig: "",
      configChecksum: "",
      exporterScript: "",
      sqlTlsProxyScript: "",
      uploadBundle: { binaryData: {}, sha256: "", command: [] },
    });
    assert.deepEqual(props.images, {
      ejabberd: `${images}/processone/ejabberd:${mirrored.im.image.split(":").pop()}`,
      eturnal: `${images}/processone/eturnal:1.12.1`,
      node: `${images}/library/node:20.19.5-alpine3.22`,
    });
    const setup = databaseSetupProps(mirrored, facts);
    assert.equal(setup.ejabberdImage, props.images?.ejabberd);
    assert.equal(setup.psqlImage, `${images}/library/postgres:15.10-alpine3.19`);
  });

  it("keeps the configured images without a mirror", () => {
    const plain = config(exampleRawConfig("alicloud"));
    const setup = databaseSetupProps(plain, facts);
    assert.equal(setup.ejabberdImage, plain.im.image);
    assert.equal(setup.psqlImage, undefined);
  });
});
