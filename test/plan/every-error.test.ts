import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { ConfigError } from "../../config/load";
import { readStackFile } from "../../config/stack-file";
import { planStack } from "../../plan";
import { readEngineConfig } from "../../stacks/pulumi-config";
import { testCertificate } from "../support/certificates";
import { runCli } from "../support/cli";
import { exampleRawConfig, withValue } from "../support/stack-config";

/**
 * One stack file with unrelated errors, one of them a kit's own rule: every
 * path that loads a stack for a run names them all in one error, so the
 * operator fixes them in one round instead of meeting the kit's after the rest.
 */

const dir = mkdtempSync(join(tmpdir(), "warbler-every-error-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  name: string;
  raw: Record<string, unknown>;
  /** Every key the one error must name, and what it says there; no other key. */
  expected: Record<string, RegExp>;
}

let alicloud = withValue(exampleRawConfig("alicloud"), "warbler:domain", [], "Chat_Example");
alicloud = withValue(alicloud, "warbler:cluster", ["nodePools", 0, "min"], 9);
alicloud = withValue(alicloud, "warbler:cluster", ["publicAccessCidrs"], ["203.0.113.0/24"]);
// A digest alone names no ejabberd release to render the config for.
alicloud = withValue(alicloud, "warbler:im", ["image"], `ghcr.io/processone/ejabberd@sha256:${"0".repeat(64)}`);

const caBundle = testCertificate("/CN=Test ApsaraDB Root", "ca").pem;
function withCaBundle(stack: string): Record<string, unknown> {
  const raw = withValue(exampleRawConfig(stack), "warbler:database", ["caBundle"], caBundle);
  return withValue(raw, "warbler:database", ["backupRetentionDays"], 99);
}

const cases: Case[] = [
  {
    name: "alicloud: a bad domain, min above max, an image without a release tag, and an API allow-list it refuses",
    raw: alicloud,
    expected: {
      "warbler:domain": /lowercase DNS name/,
      "warbler:cluster.nodePools[0].min": /must not exceed 'max' \(6\)/,
      "warbler:cluster.publicAccessCidrs": /is not supported by the alicloud kit yet/,
      "warbler:im.image": /must carry the ejabberd release as its tag/,
    },
  },
  ...["aws", "azure"].map((cloud) => ({
    name: `${cloud}: a database CA bundle the kit refuses, and a backup retention out of range`,
    raw: withCaBundle(cloud),
    expected: {
      "warbler:database.backupRetentionDays": /must be at most 35/,
      "warbler:database.caBundle": new RegExp(`is for alicloud only: the ${cloud} kit ships its database CA bundle`),
    },
  })),
  {
    name: "azure: a DNS-01 solver of another cloud, in a zone the domain is not in, with another provider's key",
    raw: withValue(exampleRawConfig("azure"), "warbler:acme", ["dns01"], {
      provider: "route53",
      zone: "example.org",
      hostedZoneId: "Z0123456789ABC",
      subscriptionId: "00000000-0000-0000-0000-000000000000",
    }),
    expected: {
      "warbler:acme.dns01.provider": /must be azure-dns on an azure stack/,
      "warbler:acme.dns01.zone": /must be 'chat\.example\.com' or a parent of it/,
      "warbler:acme.dns01.subscriptionId": /is for provider azure-dns only, not route53/,
    },
  },
];

/** Writes `raw` as a stack file, the way an operator hands it to `warbler plan` or `pulumi up`. */
function stackFile(raw: Record<string, unknown>, i: number): string {
  const file = join(dir, `Pulumi.bad-${i}.yaml`);
  writeFileSync(file, stringify({ config: raw }));
  return file;
}

function assertNamesEvery(err: unknown, expected: Record<string, RegExp>): true {
  assert.ok(err instanceof ConfigError, String(err));
  assert.deepEqual(err.issues.map((i) => i.key).sort(), Object.keys(expected).sort(), err.message);
  for (const [key, says] of Object.entries(expected)) {
    assert.match(err.issues.find((i) => i.key === key)!.message, says);
  }
  return true;
}

describe("a stack file with several unrelated errors, one of them a kit's", () => {
  cases.forEach((c, i) => {
    it(`is rejected by the offline plan with every error at once (${c.name})`, async () => {
      // planStack validates before it starts a worker, and rejects there.
      await assert.rejects(
        async () => planStack(stackFile(c.raw, i)),
        (err) => assertNamesEvery(err, c.expected),
      );
    });

    it(`is rejected by the program under the Pulumi engine with every error at once (${c.name})`, () => {
      // The engine hands structured values over as JSON text.
      const fromFile = readStackFile(stackFile(c.raw, i)).config;
      const engineConfig = Object.fromEntries(
        Object.entries(fromFile).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );
      pulumi.runtime.setAllConfig(engineConfig);
      assert.throws(
        () => readEngineConfig(),
        (err) => assertNamesEvery(err, c.expected),
      );
    });
  });

  it("makes `warbler plan` exit 2 naming all three keys of the alicloud stack in one message", async () => {
    const result = await runCli(["plan", stackFile(alicloud, cases.length)]);
    assert.equal(result.code, 2, result.stderr);
    for (const key of Object.keys(cases[0].expected)) assert.ok(result.stderr.includes(`'${key}'`), result.stderr);
    assert.equal(result.stderr.match(/is invalid:/g)?.length, 1, result.stderr);
  });
});
