import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import { configProblems, exampleRawConfig, withValue } from "../../support/stack-config";

const im = (raw: Record<string, unknown>) =>
  (loadConfig(raw, { cloudRules: kitDescriptors }) as { im: Record<string, unknown> }).im;

describe("warbler:im config", () => {
  it("requires the image, naming the key and what the image must carry, even when warbler:im is absent", () => {
    for (const raw of [
      withValue(exampleRawConfig(), "warbler:im", [], undefined),
      withValue(exampleRawConfig(), "warbler:im", [], { replicas: 3 }),
    ]) {
      assert.match(
        configProblems(raw),
        new RegExp(
          /'warbler:im.image' is required: ejabberd image with ejabberd-contrib's mod_s3_upload built in, /.source +
            /from charts\/im\/image\/Dockerfile/.source,
        ),
      );
    }
  });

  it("defaults to one admin, no admin networks, no open registration and TURN on", () => {
    const image = "registry.example.com/warbler/ejabberd:24.12-s3upload.1";
    const config = im(withValue(exampleRawConfig(), "warbler:im", [], { image }));
    assert.deepEqual(config, {
      replicas: 3,
      image,
      admins: ["admin"],
      adminCidrs: [],
      openRegistration: false,
      maxUploadMb: 100,
      turn: true,
      logLevel: "info",
    });
  });

  it("accepts an image from a registry on its own port, pinned by tag or by digest", () => {
    for (const image of [
      "registry.example.com:5000/warbler/ejabberd:24.12-s3upload.1",
      `registry.example.com:5000/warbler/ejabberd@sha256:${"a".repeat(64)}`,
    ]) {
      assert.equal(im(withValue(exampleRawConfig(), "warbler:im", ["image"], image)).image, image);
    }
  });

  const cases: [string, string[], unknown, RegExp][] = [
    ["an unpinned image", ["image"], "ghcr.io/processone/ejabberd", /'warbler:im.image'.*pinned/],
    ["the latest tag", ["image"], "ghcr.io/processone/ejabberd:latest", /'warbler:im.image'.*pinned/],
    [
      "a registry port taken for a tag",
      ["image"],
      "registry.example.com:5000/warbler/ejabberd",
      /'warbler:im.image'.*pinned/,
    ],
    [
      "an image reference with spaces",
      ["image"],
      "warbler/ejabberd: 24.12",
      /'warbler:im.image'.*must be an image reference/,
    ],
    [
      "the whole Internet on /api",
      ["adminCidrs"],
      ["0.0.0.0/0"],
      /'warbler:im.adminCidrs\[0\]' \("0\.0\.0\.0\/0"\) must be a \/16 or narrower/,
    ],
    [
      "the whole Internet as two halves on /api",
      ["adminCidrs"],
      ["203.0.113.0/24", "0.0.0.0/1", "128.0.0.0/1"],
      /'warbler:im.adminCidrs\[1\]'.*\n.*'warbler:im.adminCidrs\[2\]'/,
    ],
    ["an admin name with a domain", ["admins"], ["root@evil.example"], /'warbler:im.admins\[0\]'.*XMPP user name/],
    ["an upload limit of zero", ["maxUploadMb"], 0, /'warbler:im.maxUploadMb'/],
  ];
  for (const [what, path, value, expected] of cases) {
    it(`rejects ${what}, naming the key`, () => {
      assert.match(configProblems(withValue(exampleRawConfig(), "warbler:im", path, value)), expected);
    });
  }
});
