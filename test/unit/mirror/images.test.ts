import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { renderImages } from "../../../cli/commands/images";
import { exampleStackPath } from "../../../config/stack-file";
import { parseImageRef } from "../../../lib/registry-mirror";
import { type PlanDocument, planStack } from "../../../plan";
import type { StackImages } from "../../../plan/images";
import { runCli } from "../../support/cli";

const images = "warbler-registry.cn-hangzhou.cr.aliyuncs.com/mirror";
const charts = "oci://warbler-registry.cn-hangzhou.cr.aliyuncs.com/charts";

/** The alicloud example stack moved to a mainland region, with or without the mirror. */
function stackFile(dir: string, name: string, region: string, mirror: boolean): string {
  let text = readFileSync(exampleStackPath("alicloud"), "utf8").replace(
    /warbler:region: .*/,
    `warbler:region: ${region}`,
  );
  if (mirror)
    text = text.replace(
      "  warbler:cluster:\n",
      `  warbler:cluster:\n    registryMirror:\n      images: ${images}\n      charts: ${charts}\n`,
    );
  const path = join(dir, `Pulumi.${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

describe("warbler images, on the alicloud example stack in cn-hangzhou with a mirror", () => {
  const dir = mkdtempSync(join(tmpdir(), "warbler-mirror-"));
  let listing: StackImages;
  let unmirrored: PlanDocument;
  let code: number | null;
  before(async () => {
    const [cli, plan] = await Promise.all([
      runCli(["images", stackFile(dir, "alicloud-cn", "cn-hangzhou", true), "--json"]),
      planStack(stackFile(dir, "alicloud-sh", "cn-shanghai", false)),
    ]);
    code = cli.code;
    assert.equal(cli.code, 0, cli.stderr);
    listing = JSON.parse(cli.stdout) as StackImages;
    unmirrored = plan;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 and pulls every image through the mirror, each with the upstream image to copy", () => {
    assert.equal(code, 0);
    assert.ok(listing.images.length >= 8, `${listing.images.length} images`);
    for (const image of listing.images) {
      assert.ok(image.image.startsWith(`${images}/`) && image.mirrored, image.image);
      assert.match(image.source ?? "", /\S/, `${image.image} has no known upstream`);
      // Same repository path, tag and digest on both sides: only the registry differs.
      const upstream = parseImageRef(image.source ?? "");
      const tag = upstream.tag ? `:${upstream.tag}` : "";
      const tail = `${upstream.repository}${tag}${upstream.digest ? `@${upstream.digest}` : ""}`;
      assert.equal(image.image, `${images}/${tail}`);
    }
    const sources = listing.images.map((i) => i.source);
    for (const upstream of [
      "ghcr.io/processone/ejabberd:26.07",
      "ghcr.io/processone/eturnal:1.12.1",
      "node:20.19.5-alpine3.22",
      "postgres:15.10-alpine3.19",
      "docker.io/envoyproxy/envoy:distroless-v1.39.1",
      "quay.io/jetstack/cert-manager-controller:v1.19.1",
    ])
      assert.ok(sources.includes(upstream), upstream);
  });

  it("finds the mirrored images in the planned objects themselves, not only in its own table", () => {
    const users = (source: string) => listing.images.find((i) => i.source === source)?.usedBy.join(" ") ?? "";
    assert.match(users("ghcr.io/processone/ejabberd:26.07"), /StatefulSet .*ejabberd/);
    assert.match(users("docker.io/envoyproxy/envoy:distroless-v1.39.1"), /EnvoyProxy/);
    assert.match(users("postgres:15.10-alpine3.19"), /Job /);
  });

  it("takes every Helm chart from the chart mirror by name, with its upstream source", () => {
    const byRelease = Object.fromEntries(listing.charts.map((c) => [c.release, c]));
    assert.deepEqual(Object.keys(byRelease).sort(), ["cert-manager", "envoy-gateway", "kube-prometheus-stack"]);
    assert.equal(byRelease["envoy-gateway"].chart, `${charts}/gateway-helm`);
    assert.equal(byRelease["envoy-gateway"].source.chart, "oci://docker.io/envoyproxy/gateway-helm");
    assert.equal(byRelease["cert-manager"].chart, `${charts}/cert-manager`);
    assert.deepEqual(byRelease["cert-manager"].source, { chart: "cert-manager", repo: "https://charts.jetstack.io" });
    for (const chart of listing.charts) assert.equal(chart.repo, undefined, chart.release);
    assert.deepEqual(listing.renderedByChart, [{ release: "kube-prometheus-stack", registry: images }]);
  });

  it("prints one line per image and chart, pulled <- upstream, and flags nothing as unmirrored", () => {
    const text = renderImages(listing);
    assert.match(text, /^Stack alicloud-cn: \d+ images, 3 Helm charts/);
    assert.ok(
      text.includes(`  ${images}/processone/ejabberd:26.07 <- ghcr.io/processone/ejabberd:26.07\n`),
      "ejabberd line",
    );
    assert.ok(
      text.includes(`cert-manager v1.19.1: ${charts}/cert-manager <- cert-manager from https://charts.jetstack.io`),
    );
    assert.doesNotMatch(text, /NOT ON THE MIRROR/);
    const flagged = renderImages({ ...listing, images: [{ ...listing.images[0], mirrored: false }] });
    assert.match(flagged, /\[NOT ON THE MIRROR\]/);
  });

  it("warns at plan time in a mainland region without a mirror, and pulls from upstream there", () => {
    const warning = unmirrored.warnings.find((w) => w.startsWith("warbler:cluster.registryMirror"));
    assert.match(warning ?? "", /images and \.charts are not set while region cn-shanghai is in mainland China/);
    const planned = JSON.stringify(unmirrored.resources.filter((r) => r.type.startsWith("kubernetes:")));
    assert.ok(planned.includes('"ghcr.io/processone/ejabberd:26.07"'));
    assert.ok(!planned.includes(images));
  });

  it("refuses the global stack, which runs no images, with exit 2", async () => {
    const result = await runCli(["images", "global"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /is a global stack, which runs no images/);
  });
});
