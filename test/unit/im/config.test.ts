import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kitDescriptors } from "../../../components/kits";
import { defaultEjabberdImage, ejabberdRelease, imReplicas } from "../../../config/im";
import { loadConfig } from "../../../config/load";
import { configProblems, exampleRawConfig, withValue } from "../../support/stack-config";

const im = (raw: Record<string, unknown>) =>
  (loadConfig(raw, { cloudRules: kitDescriptors }) as { im: Record<string, unknown> }).im;

describe("warbler:im config", () => {
  it("defaults the image to ProcessOne's ejabberd 26.07, pinned by tag, even when warbler:im is absent", () => {
    // The release: 26.07 is ProcessOne's security release that fixes "possible atom exhaustion that can be triggered
    // by issuing REST requests to mod_http_api" (https://github.com/processone/ejabberd/releases/tag/26.07); 24.12
    // is avoided for "Upgrading to 24.12 caused 5x memory consumption" (https://github.com/processone/ejabberd/
    // issues/4396, open). The image is published as ghcr.io/processone/ejabberd:<release>, built from
    // .github/container/Dockerfile (processone/ejabberd CONTAINER.md). No public source we could read shows the
    // digest of the 26.07 image, so it is pinned by tag only: a digest would be invented.
    assert.equal(defaultEjabberdImage, "ghcr.io/processone/ejabberd:26.07");
    assert.doesNotMatch(defaultEjabberdImage, /@sha256:/);
    for (const raw of [
      withValue(exampleRawConfig(), "warbler:im", [], undefined),
      withValue(exampleRawConfig(), "warbler:im", [], { replicas: 3 }),
    ]) {
      assert.equal(im(raw).image, defaultEjabberdImage);
    }
  });

  it("reads the release the config is rendered for from the image tag, with or without a suffix and digest", () => {
    const digest = `@sha256:${"a".repeat(64)}`;
    assert.equal(ejabberdRelease(defaultEjabberdImage), "26.07");
    assert.equal(ejabberdRelease(`registry.example.com:5000/ejabberd:24.12-custom.1${digest}`), "24.12");
    assert.equal(ejabberdRelease(`ghcr.io/processone/ejabberd${digest}`), undefined);
    assert.equal(ejabberdRelease("registry.example.com:5000/ejabberd"), undefined);
    assert.equal(ejabberdRelease("ghcr.io/processone/ejabberd:v26"), undefined);
  });

  it("defaults to one admin, no admin networks, no open registration, TURN on, push off and a 1 GiB quota", () => {
    const config = im(withValue(exampleRawConfig(), "warbler:im", [], {}));
    assert.deepEqual(config, {
      sessionsPerInstance: 1_000_000,
      image: defaultEjabberdImage,
      admins: ["admin"],
      adminCidrs: [],
      adminApi: false,
      edgeIdleTimeoutSeconds: 3600,
      openRegistration: false,
      maxUploadMb: 100,
      uploadQuotaMb: 1024,
      turn: true,
      turnRelayPorts: { from: 50000, to: 50039 },
      turnTls: false,
      push: false,
      logLevel: "info",
    });
  });

  it("accepts an image from a registry on its own port, pinned by a release tag, with or without a digest", () => {
    for (const image of [
      "registry.example.com:5000/warbler/ejabberd:26.07-custom.1",
      `registry.example.com:5000/warbler/ejabberd:26.07@sha256:${"a".repeat(64)}`,
    ]) {
      assert.equal(im(withValue(exampleRawConfig(), "warbler:im", ["image"], image)).image, image);
    }
  });

  const cases: [string, string[], unknown, RegExp][] = [
    ["an unpinned image", ["image"], "ghcr.io/processone/ejabberd", /'warbler:im.image'.*pinned/],
    ["the latest tag", ["image"], "ghcr.io/processone/ejabberd:latest", /'warbler:im.image'.*pinned/],
    [
      "a digest without a release tag",
      ["image"],
      `ghcr.io/processone/ejabberd@sha256:${"a".repeat(64)}`,
      /'warbler:im.image'.*must carry the ejabberd release as its tag/,
    ],
    ["a tag that names no release", ["image"], "ghcr.io/processone/ejabberd:stable", /'warbler:im.image'.*release/],
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
    [
      "admin networks while the admin API is off (the list would be unused)",
      ["adminApi"],
      false,
      /'warbler:im.adminApi' \(false\) must be true when adminCidrs is set/,
    ],
    [
      "an edge idle timeout at the longest keepalive silence",
      ["edgeIdleTimeoutSeconds"],
      92,
      /'warbler:im.edgeIdleTimeoutSeconds' \(92\) must be longer than 92 s/,
    ],
    ["an admin name with a domain", ["admins"], ["root@evil.example"], /'warbler:im.admins\[0\]'.*XMPP user name/],
    ["an upload limit of zero", ["maxUploadMb"], 0, /'warbler:im.maxUploadMb'/],
    ["a fractional upload limit", ["maxUploadMb"], 1.5, /'warbler:im.maxUploadMb' \(1\.5\)/],
    ["a negative quota", ["uploadQuotaMb"], -1, /'warbler:im.uploadQuotaMb' \(-1\)/],
    ["a quota of no number", ["uploadQuotaMb"], "1GB", /'warbler:im.uploadQuotaMb' \("1GB"\)/],
    [
      "a quota below the largest file",
      ["uploadQuotaMb"],
      50,
      /'warbler:im.uploadQuotaMb' \(50\) must be at least maxUploadMb/,
    ],
  ];
  for (const [what, path, value, expected] of cases) {
    it(`rejects ${what}, naming the key`, () => {
      assert.match(configProblems(withValue(exampleRawConfig(), "warbler:im", path, value)), expected);
    });
  }
});

describe("warbler:im sessions and replicas", () => {
  const withIm = (value: Record<string, unknown>) => withValue(exampleRawConfig(), "warbler:im", [], value);

  it("derives replicas from sessions: one instance more than they need, at least three", () => {
    assert.equal(imReplicas(im(withIm({ sessions: 2_000_000 })) as never), 3);
    assert.equal(imReplicas(im(withIm({ sessions: 2_000_000, sessionsPerInstance: 500_000 })) as never), 5);
    assert.equal(imReplicas(im(withIm({})) as never), 3);
  });

  it("refuses an explicit replicas that cannot hold the sessions, naming both keys and the fewest that can", () => {
    const problems = configProblems(withIm({ sessions: 3_000_000, replicas: 2 }));
    assert.match(problems, /warbler:im\.replicas.*\(2\) must be at least 3 to hold 'sessions' \(3000000\)/);
  });

  it("refuses sessions that need more instances than one cluster runs", () => {
    const problems = configProblems(withIm({ sessions: 60_000_000 }));
    assert.match(problems, /warbler:im\.sessions.*needs 61 instances .* more than the 50 one cluster runs/);
  });

  it("refuses a sessionsPerInstance outside 1,000 to 2,000,000", () => {
    for (const bad of [999, 2_000_001])
      assert.match(configProblems(withIm({ sessionsPerInstance: bad })), /warbler:im\.sessionsPerInstance/);
  });
});
