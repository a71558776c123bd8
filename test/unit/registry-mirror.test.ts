import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  chartName,
  chartsMirrorProblem,
  formatImageRef,
  imagesMirrorProblem,
  mirrorChart,
  mirrorImage,
  mirrorRepository,
  mirrorWarning,
  parseImageRef,
} from "../../lib/registry-mirror";

const acr = "warbler-registry.cn-hangzhou.cr.aliyuncs.com/mirror";
const digest = `sha256:${"ab".repeat(32)}`;

describe("registry mirror: image references", () => {
  it("reads registries as a container runtime does (distribution/reference normalize.go splitDockerDomain)", () => {
    // A first part with a dot or a port, or `localhost`, is a registry; anything else is a Docker Hub namespace, and a
    // one-part name is an official image under library/.
    const table: [string, string, string, string | undefined, string | undefined][] = [
      ["node:20.19.5-alpine3.22", "docker.io", "library/node", "20.19.5-alpine3.22", undefined],
      ["postgres", "docker.io", "library/postgres", undefined, undefined],
      ["wjiec/alidns-webhook:1.0.1", "docker.io", "wjiec/alidns-webhook", "1.0.1", undefined],
      ["docker.io/rclone/rclone:1.71.1", "docker.io", "rclone/rclone", "1.71.1", undefined],
      ["index.docker.io/library/busybox:1.37", "docker.io", "library/busybox", "1.37", undefined],
      ["ghcr.io/processone/ejabberd:26.07", "ghcr.io", "processone/ejabberd", "26.07", undefined],
      ["localhost/app:1", "localhost", "app", "1", undefined],
      ["registry.local:5000/team/app:2", "registry.local:5000", "team/app", "2", undefined],
      [
        `quay.io/jetstack/cert-manager-controller@${digest}`,
        "quay.io",
        "jetstack/cert-manager-controller",
        undefined,
        digest,
      ],
      [`ghcr.io/processone/eturnal:1.12.1@${digest}`, "ghcr.io", "processone/eturnal", "1.12.1", digest],
    ];
    for (const [ref, registry, repository, tag, found] of table) {
      const parsed = parseImageRef(ref);
      assert.deepEqual(
        [parsed.registry, parsed.repository, parsed.tag, parsed.digest],
        [registry, repository, tag, found],
      );
    }
  });

  it("replaces only the registry, keeping the repository path, tag and digest", () => {
    const table: [string, string][] = [
      ["ghcr.io/processone/ejabberd:26.07", `${acr}/processone/ejabberd:26.07`],
      ["node:20.19.5-alpine3.22", `${acr}/library/node:20.19.5-alpine3.22`],
      ["docker.io/envoyproxy/envoy:distroless-v1.39.1", `${acr}/envoyproxy/envoy:distroless-v1.39.1`],
      [`quay.io/jetstack/cert-manager-webhook@${digest}`, `${acr}/jetstack/cert-manager-webhook@${digest}`],
      ["registry.local:5000/team/app:2", `${acr}/team/app:2`],
    ];
    for (const [upstream, mirrored] of table) assert.equal(mirrorImage(upstream, acr), mirrored, upstream);
    assert.equal(mirrorRepository("ghcr.io/processone/eturnal:1.12.1", acr), `${acr}/processone/eturnal`);
  });

  it("leaves every reference as given when no image mirror is set", () => {
    assert.equal(mirrorImage("node:20.19.5-alpine3.22", undefined), "node:20.19.5-alpine3.22");
    assert.equal(mirrorImage("ghcr.io/processone/ejabberd:26.07", ""), "ghcr.io/processone/ejabberd:26.07");
  });

  const part = fc.stringMatching(/^[a-z0-9]{1,8}([._-][a-z0-9]{1,8})?$/);
  const arbRef = fc.record({
    registry: fc.constantFrom("docker.io", "ghcr.io", "quay.io", "registry.k8s.io", "registry.local:5000"),
    repository: fc.array(part, { minLength: 2, maxLength: 4 }).map((parts) => parts.join("/")),
    tag: fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), { nil: undefined }),
    digest: fc.option(
      fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`),
      { nil: undefined },
    ),
  });
  const arbMirror = fc
    .tuple(
      fc.constantFrom("mirror.example.cn", "acr.cn-hangzhou.cr.aliyuncs.com:443"),
      fc.array(part, { maxLength: 2 }),
    )
    .map(([host, path]) => [host, ...path].join("/"));

  it("preserves the repository path, tag and digest of every reference it mirrors (property)", () => {
    fc.assert(
      fc.property(arbRef, arbMirror, (fields, mirror) => {
        const ref = formatImageRef(fields);
        const mirrored = mirrorImage(ref, mirror);
        assert.ok(mirrored.startsWith(`${mirror}/${fields.repository}`), mirrored);
        assert.equal(mirrored.endsWith(`:${fields.tag}`) || mirrored.includes(`:${fields.tag}@`), !!fields.tag);
        assert.equal(mirrored.endsWith(`@${fields.digest}`), !!fields.digest);
        assert.equal(mirrored, `${mirror}/${ref.slice(fields.registry.length + 1)}`);
      }),
    );
  });
});

describe("registry mirror: Helm charts", () => {
  it("takes each chart by its own name under an oci:// base, or from an https:// repository", () => {
    const oci = "oci://warbler-registry.cn-hangzhou.cr.aliyuncs.com/charts";
    const https = "https://charts.example.cn/warbler";
    const envoy = { chart: "oci://docker.io/envoyproxy/gateway-helm" };
    const jetstack = { chart: "cert-manager", repo: "https://charts.jetstack.io" };
    assert.equal(chartName(envoy.chart), "gateway-helm");
    assert.deepEqual(mirrorChart(envoy, oci), { chart: `${oci}/gateway-helm` });
    assert.deepEqual(mirrorChart(jetstack, oci), { chart: `${oci}/cert-manager` });
    assert.deepEqual(mirrorChart(envoy, https), { chart: "gateway-helm", repo: https });
    assert.deepEqual(mirrorChart(jetstack, https), { chart: "cert-manager", repo: https });
    assert.deepEqual(mirrorChart(jetstack, undefined), jetstack);
  });
});

describe("registry mirror: accepted forms", () => {
  it("accepts a registry host with optional port and path for images, and nothing else", () => {
    for (const ok of [acr, "registry.cn-hangzhou.aliyuncs.com", "mirror.example.cn:5000/a/b-c"])
      assert.equal(imagesMirrorProblem(ok), undefined, ok);
    for (const bad of ["https://registry.example.cn", `${acr}/`, "Registry.Example.cn", "localhost", "acr/x", ""])
      assert.match(imagesMirrorProblem(bad) ?? "", /registry host name/, bad);
  });

  it("accepts only oci:// and https:// URLs for charts", () => {
    for (const ok of ["oci://acr.cn-hangzhou.cr.aliyuncs.com/charts", "https://charts.example.cn", "https://a.cn/x/y"])
      assert.equal(chartsMirrorProblem(ok), undefined, ok);
    for (const bad of ["http://charts.example.cn", "charts.example.cn", "oci://charts.example.cn/", "s3://a.cn/b"])
      assert.match(chartsMirrorProblem(bad) ?? "", /oci:\/\/ or https:\/\//, bad);
  });
});

describe("registry mirror: the mainland China warning", () => {
  const full = { images: acr, charts: "oci://acr.cn-hangzhou.cr.aliyuncs.com/charts" };

  it("warns in a mainland region for each part of the mirror left unset, and says why and where to read", () => {
    const both = mirrorWarning("cn-hangzhou", undefined) ?? "";
    assert.match(both, /^warbler:cluster\.registryMirror\.images and \.charts are not set/);
    assert.match(both, /docker\.io, ghcr\.io, quay\.io/);
    assert.match(both, /docs\/alicloud\.md/);
    assert.match(mirrorWarning("cn-beijing", { images: acr }) ?? "", /registryMirror\.charts is not set/);
    assert.match(mirrorWarning("cn-shenzhen", { charts: full.charts }) ?? "", /registryMirror\.images is not set/);
  });

  it("stays silent with both parts set, outside mainland China, and in Hong Kong", () => {
    assert.equal(mirrorWarning("cn-hangzhou", full), undefined);
    assert.equal(mirrorWarning("eu-central-1", undefined), undefined);
    // Hong Kong's region id starts with cn- but it reaches the upstream registries directly.
    assert.equal(mirrorWarning("cn-hongkong", undefined), undefined);
  });
});
