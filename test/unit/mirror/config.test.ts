import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import { configProblems, exampleRawConfig, withValue } from "../../support/stack-config";

const cluster = exampleRawConfig("alicloud")["warbler:cluster"] as Record<string, unknown>;
const withMirror = (registryMirror: unknown) =>
  withValue(exampleRawConfig("alicloud"), "warbler:cluster", [], { ...cluster, registryMirror });

describe("warbler:cluster.registryMirror", () => {
  it("accepts an image registry host with a path and an oci:// or https:// chart repository", () => {
    for (const charts of ["oci://warbler-registry.cn-hangzhou.cr.aliyuncs.com/charts", "https://charts.example.cn"]) {
      const config = loadConfig(withMirror({ images: "warbler-registry.cn-hangzhou.cr.aliyuncs.com/mirror", charts }), {
        cloudRules: kitDescriptors,
      });
      assert.equal(config.kind === "platform" && config.cluster.registryMirror?.charts, charts);
    }
    const none = loadConfig(exampleRawConfig("alicloud"), { cloudRules: kitDescriptors });
    assert.equal(none.kind === "platform" && none.cluster.registryMirror, undefined);
  });

  it("refuses a URL for images, naming the key, the value and the allowed form", () => {
    const message = configProblems(withMirror({ images: "https://registry.cn-hangzhou.aliyuncs.com/warbler" }));
    assert.match(
      message,
      new RegExp(
        "'warbler:cluster\\.registryMirror\\.images' " +
          '\\("https://registry\\.cn-hangzhou\\.aliyuncs\\.com/warbler"\\) must be a registry host name',
      ),
    );
  });

  it("refuses a chart repository that is neither oci:// nor https://, naming the key and the allowed form", () => {
    for (const charts of ["http://charts.example.cn", "charts.example.cn", "oci://charts.example.cn/"]) {
      const message = configProblems(withMirror({ charts }));
      assert.match(message, /'warbler:cluster\.registryMirror\.charts' \(.*\) must be an oci:\/\/ or https:\/\/ URL/);
    }
  });

  it("refuses keys it does not know, so a typo is not a silently missing mirror", () => {
    assert.match(configProblems(withMirror({ image: "mirror.example.cn" })), /registryMirror/);
  });
});
