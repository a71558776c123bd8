import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { regionOfZone } from "../../policies/alicloud/regions/allowedRegions";
import { openToInternet } from "../../policies/common/publicPorts";
import { type Switch, switchProblem, tooFewDays } from "../../policies/common/settings";
import { evaluatePackDetailed, PackConfigError, toPolicyResources, validatePackConfig } from "../../policies/harness";
import { toResourceRecords } from "../../policies/input";
import { unpinned } from "../../policies/kubernetes/pods/pinImages";
import {
  allowsEverything,
  cidrAllowed,
  deniesInsecureTransport,
  deniesTlsBelow,
  isOn,
  isSet,
  missingKeys,
  refersTo,
  regionAllowed,
} from "../../policies/props";

describe("property helpers", () => {
  it("count a redacted secret as a value that is set", () => {
    assert.equal(isSet("[secret]"), true);
    assert.deepEqual(
      [isSet(undefined), isSet(""), isSet([]), isSet(0), isSet(false)],
      [false, false, false, true, true],
    );
    assert.deepEqual(missingKeys({ owner: "[secret]", "data-classification": " " }, ["owner", "data-classification"]), [
      "data-classification",
    ]);
  });

  it("read provider switches written as strings", () => {
    for (const on of [true, "true", "Enabled", "ON", "Open"]) assert.equal(isOn(on), true, String(on));
    for (const off of [false, "false", "Disabled", undefined, 1]) assert.equal(isOn(off), false, String(off));
  });

  it("match CIDRs inside an allow-list and nothing wider", () => {
    const table: [string, string[], boolean][] = [
      ["203.0.113.0/28", ["203.0.113.0/24"], true],
      ["203.0.113.7", ["203.0.113.0/24"], true],
      ["203.0.112.0/23", ["203.0.113.0/24"], false],
      ["0.0.0.0/0", ["203.0.113.0/24"], false],
      ["198.51.100.0/24", [], false],
    ];
    for (const [cidr, allowed, expected] of table)
      assert.equal(cidrAllowed(cidr, allowed), expected, `${cidr} in ${allowed}`);
  });

  it("accept every subnet of an allowed /16 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 32 }), (third, prefix) => {
        return (
          cidrAllowed(`10.20.${third}.0/${prefix}`, ["10.20.0.0/16"]) &&
          !cidrAllowed(`10.21.${third}.0/${prefix}`, ["10.20.0.0/16"])
        );
      }),
    );
  });

  it("match regions exactly or by a '*' prefix, ignoring case and spaces", () => {
    assert.equal(regionAllowed("eu-central-1", ["eu-*"]), true);
    assert.equal(regionAllowed("West Europe", ["westeurope"]), true);
    assert.equal(regionAllowed("us-east-1", ["eu-*", "us-east-2"]), false);
  });

  it("derive an Alibaba region from both zone id styles", () => {
    assert.deepEqual(["cn-hangzhou-h", "eu-central-1a", "cn-hangzhou"].map(regionOfZone), [
      "cn-hangzhou",
      "eu-central-1",
      "cn-hangzhou",
    ]);
  });

  it("recognise TLS-only and admin policy documents, from JSON text or objects", () => {
    const tls = {
      Statement: [
        { Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } },
        { Effect: "Deny", Condition: { NumericLessThan: { "s3:TlsVersion": 1.2 } } },
      ],
    };
    assert.equal(deniesInsecureTransport(JSON.stringify(tls), "aws:SecureTransport"), true);
    assert.equal(
      deniesInsecureTransport(
        { Statement: [{ Effect: "Allow", Condition: { Bool: { "aws:SecureTransport": "false" } } }] },
        "aws:SecureTransport",
      ),
      false,
    );
    assert.equal(deniesTlsBelow(tls, "s3:TlsVersion", 1.2), true);
    assert.equal(deniesTlsBelow(tls, "s3:TlsVersion", 1.3), false);
    assert.equal(deniesInsecureTransport("not json", "aws:SecureTransport"), false);
    assert.equal(allowsEverything({ Statement: { Effect: "Allow", Action: ["*"], Resource: "*" } }), true);
    assert.equal(allowsEverything({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }), false);
  });

  it("tell pinned image references from floating ones", () => {
    assert.equal(unpinned("ghcr.io/processone/ejabberd:24.12"), undefined);
    assert.equal(unpinned("registry:5000/team/app@sha256:abc"), undefined);
    assert.match(unpinned("registry:5000/team/app") ?? "", /no tag/);
    assert.match(unpinned("nginx:latest") ?? "", /latest/);
  });

  it("find ports opened to the internet beyond the allowed ones", () => {
    assert.equal(openToInternet({ from: 443, to: 443, protocol: "tcp", cidrs: ["0.0.0.0/0"] }, [443]), undefined);
    assert.equal(openToInternet({ from: 22, to: 22, protocol: "tcp", cidrs: ["10.0.0.0/8"] }, [443]), undefined);
    assert.match(
      openToInternet({ from: 440, to: 450, protocol: "tcp", cidrs: ["::/0"] }, [443]) ?? "",
      /port range 440-450/,
    );
    assert.match(openToInternet({ from: 0, to: 0, protocol: "-1", cidrs: ["0.0.0.0/0"] }, [443]) ?? "", /all ports/);
  });

  it("link references through property dependencies or the target's identities", () => {
    const [key, db, other] = toPolicyResources([
      { type: "aws:kms/key:Key", name: "key", props: {}, id: "1234abcd-key" },
      { type: "aws:rds/instance:Instance", name: "db", props: { kmsKeyId: "arn:aws:kms:r:1:key/1234abcd-key" } },
      {
        type: "aws:rds/instance:Instance",
        name: "other",
        props: { kmsKeyId: "[secret]" },
        propertyDependencies: { kmsKeyId: ["urn:pulumi:offline::warbler::aws:kms/key:Key::key"] },
      },
    ]);
    assert.equal(refersTo(db, "kmsKeyId", key), true);
    assert.equal(refersTo(other, "kmsKeyId", key), true);
    assert.equal(refersTo(db, "kmsKeyId", other), false);
  });
});

describe("input parsing", () => {
  it("reads resource lists and plan documents alike", () => {
    const list = toResourceRecords([{ type: "aws:s3/bucket:Bucket", name: "b", props: { acl: "private" } }]);
    const plan = toResourceRecords({
      stack: "s",
      resources: [
        { urn: "u", type: "aws:s3/bucket:Bucket", name: "b", parent: "", inputs: { acl: "private" }, id: "b-1" },
      ],
    });
    assert.ok(list.ok && plan.ok);
    assert.deepEqual(list.resources[0].props, plan.resources[0].props);
    assert.equal(plan.resources[0].id, "b-1");
    assert.equal(plan.stack, "s");
  });

  it("collects every problem with its path instead of stopping at the first", () => {
    const parsed = toResourceRecords([1, { type: "a:b:C", name: "ok", props: [] }, { type: "a:b:C" }]);
    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.problems, [
      "[0] (1) must be an object",
      "[1].props must be an object",
      "[2].name (undefined) must be a non-empty string",
    ]);
  });
});

describe("factory settings", () => {
  /** A boolean setting that must be on, with what the cloud does when it is unset. */
  const mustBeOn = (setting: string, unset: boolean): Switch<Record<string, boolean>> => ({
    setting,
    value: (props) => props[setting],
    safe: true,
    unset,
  });

  it("judge a switch by its value, or by the cloud's default when it is unset", () => {
    const table: [Switch<Record<string, boolean>>, Record<string, boolean>, string | undefined][] = [
      [mustBeOn("purge", false), { purge: true }, undefined],
      [mustBeOn("purge", false), { purge: false }, "purge (false) must be true"],
      [mustBeOn("purge", false), {}, "purge (unset, which means false) must be true"],
      [mustBeOn("softDelete", true), {}, undefined],
      [mustBeOn("softDelete", true), { softDelete: false }, "softDelete (false) must be true"],
    ];
    for (const [s, props, expected] of table) assert.equal(switchProblem(s, props), expected, JSON.stringify(props));
  });

  it("accept a number of days at the minimum and reject one below it", () => {
    assert.equal(tooFewDays("retention", 7, 7), undefined);
    assert.equal(tooFewDays("retention", 6, 7), "retention (6) must be at least 7");
  });
});

describe("pack config", () => {
  it("rejects unknown policies, settings and levels in one error", () => {
    assert.throws(
      () =>
        validatePackConfig({
          nope: "advisory",
          "aws-rds-backup-retention": { enforcementLevel: "loud" as never, minRetention: 1 },
        }),
      (err: Error) =>
        err instanceof PackConfigError &&
        /'nope'/.test(err.message) &&
        /loud/.test(err.message) &&
        /minRetention/.test(err.message),
    );
  });

  it("applies 'all' to every policy unless the policy has its own level", async () => {
    const key = [{ type: "aws:kms/key:Key", name: "k", props: {} }];
    const { verdicts } = await evaluatePackDetailed(key, { all: "advisory", "aws-required-tags": "disabled" });
    assert.equal(verdicts.find((v) => v.policy === "aws-kms-key-rotation")!.violations[0].enforcement, "advisory");
    assert.equal(verdicts.find((v) => v.policy === "aws-required-tags")!.verdict, "disabled");
  });
});
