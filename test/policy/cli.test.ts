import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { selectPolicies } from "../../policies/registry";

const allPolicies = selectPolicies();

const bin = join(__dirname, "..", "..", "bin", "warbler.js");
const dir = mkdtempSync(join(tmpdir(), "warbler-policy-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function warbler(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const tags = { owner: "team", "data-classification": "internal" };

/** One misconfigured resource per cloud and one for Kubernetes, with the compliant resources they depend on. */
const misconfigured = [
  { type: "aws:kms/key:Key", name: "aws-key", id: "0f1e2d3c-aaaa-bbbb", props: { enableKeyRotation: true, tags } },
  {
    type: "aws:rds/parameterGroup:ParameterGroup",
    name: "aws-pg",
    props: { name: "warbler-pg16", family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1" }], tags },
  },
  {
    type: "aws:rds/instance:Instance",
    name: "aws-db",
    props: {
      engine: "postgres",
      instanceClass: "db.t4g.micro",
      storageEncrypted: true,
      kmsKeyId: "arn:aws:kms:eu-central-1:1:key/0f1e2d3c-aaaa-bbbb",
      parameterGroupName: "warbler-pg16",
      publiclyAccessible: true,
      backupRetentionPeriod: 14,
      deletionProtection: true,
      multiAz: true,
      enabledCloudwatchLogsExports: ["postgresql"],
      tags,
    },
  },
  {
    type: "azure-native:keyvault:Key",
    name: "az-key",
    props: {
      keyName: "k",
      vaultName: "v",
      resourceGroupName: "rg",
      properties: {
        rotationPolicy: { lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P90D" } }] },
      },
      tags,
    },
  },
  {
    type: "azure-native:storage:StorageAccount",
    name: "az-files",
    props: {
      kind: "StorageV2",
      sku: { name: "Standard_ZRS" },
      resourceGroupName: "rg",
      location: "westeurope",
      minimumTlsVersion: "TLS1_0",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      publicNetworkAccess: "Disabled",
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "k", keyVaultUri: "https://v.vault.azure.net" },
      },
      tags,
    },
  },
  {
    type: "alicloud:kms/key:Key",
    name: "ali-key",
    props: { automaticRotation: "Disabled", deletionProtection: "Enabled", tags },
  },
  {
    type: "kubernetes:apps/v1:Deployment",
    name: "web",
    props: {
      spec: {
        template: {
          spec: {
            hostNetwork: true,
            containers: [
              {
                name: "web",
                image: "nginx:1.27",
                resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } },
                securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, readOnlyRootFilesystem: true },
              },
            ],
          },
        },
      },
    },
  },
];

describe("warbler policy check", () => {
  it("exits 1 on misconfigured resources across all three clouds and Kubernetes, naming each violated policy", () => {
    const r = warbler("policy", "check", file("bad.json", misconfigured));
    assert.equal(r.code, 1, r.stderr);
    for (const id of [
      "aws-rds-no-public-access",
      "azure-storage-tls",
      "alicloud-kms-key-rotation",
      "kubernetes-no-host-namespaces",
    ]) {
      assert.match(r.stdout, new RegExp(`^${id}\\s+\\S+\\s+mandatory`, "m"), `${id} missing from:\n${r.stdout}`);
    }
  });

  it("prints [{ policy, resource, enforcement, message }] with --json", () => {
    const r = warbler("policy", "check", "--json", file("bad.json", misconfigured));
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as Record<string, string>[];
    assert.deepEqual(out.map((v) => `${v.policy} ${v.resource}`).sort(), [
      "alicloud-kms-key-rotation ali-key",
      "aws-rds-no-public-access aws-db",
      "azure-storage-tls az-files",
      "kubernetes-no-host-namespaces web",
    ]);
    for (const v of out) assert.deepEqual(Object.keys(v), ["policy", "resource", "enforcement", "message"]);
  });

  it("exits 0 for compliant resources", () => {
    const r = warbler(
      "policy",
      "check",
      file("good.json", [{ type: "aws:kms/key:Key", name: "key", props: { enableKeyRotation: true, tags } }]),
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No policy violations/);
  });

  it("exits 0 but still lists advisory findings", () => {
    const r = warbler(
      "policy",
      "check",
      file("advisory.json", [{ type: "aws:kms/key:Key", name: "key", props: { enableKeyRotation: true } }]),
    );
    assert.equal(r.code, 0);
    assert.match(r.stdout, /aws-required-tags\s+key\s+advisory/);
  });

  it("accepts a plan document from warbler plan --json", () => {
    const plan = {
      stack: "demo",
      cloud: "aws",
      resources: [
        {
          urn: "urn:pulumi:demo::warbler::alicloud:kms/key:Key::key",
          type: "alicloud:kms/key:Key",
          name: "key",
          parent: "",
          id: "key-1",
          inputs: misconfigured.find((r) => r.name === "ali-key")!.props,
        },
      ],
      outputs: {},
      violations: [],
    };
    const r = warbler("policy", "check", "--json", file("plan.json", plan));
    assert.equal(r.code, 1);
    assert.deepEqual(
      JSON.parse(r.stdout).map((v: { policy: string; resource: string }) => `${v.policy} ${v.resource}`),
      ["alicloud-kms-key-rotation key"],
    );
  });

  it("lets a policy config downgrade a policy to advisory or disable it", () => {
    const cfg = file("cfg.json", {
      "aws-rds-no-public-access": "advisory",
      "azure-storage-tls": { enforcementLevel: "disabled" },
      "alicloud-kms-key-rotation": "disabled",
      "kubernetes-no-host-namespaces": "advisory",
    });
    const r = warbler("policy", "check", "--json", "--config", cfg, file("bad.json", misconfigured));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout)
        .map((v: { policy: string; enforcement: string }) => `${v.policy}:${v.enforcement}`)
        .sort(),
      ["aws-rds-no-public-access:advisory", "kubernetes-no-host-namespaces:advisory"],
    );
  });

  for (const [what, content, pattern] of [
    ["malformed JSON", '[{"type": "aws:s3/bucket:Bucket",', /not valid JSON/],
    ["a JSON object that is neither a list nor a plan", { hello: "world" }, /expected a JSON array/],
    [
      "entries without a type token or name",
      [{ type: "bucket", props: {} }],
      /\[0\]\.type \("bucket"\) must be a Pulumi type token[\s\S]*\[0\]\.name/,
    ],
  ] as const) {
    it(`exits 2 with a clear message and no stack trace for ${what}`, () => {
      const r = warbler("policy", "check", file(`input-${what.length}.json`, content));
      assert.equal(r.code, 2);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }

  it("exits 2 for a missing file and for a config naming an unknown policy", () => {
    assert.match(
      warbler("policy", "check", join(dir, "absent.json")).stderr,
      /cannot read resource file .*no such file/,
    );
    const r = warbler(
      "policy",
      "check",
      "--config",
      file("badcfg.json", { "no-such-policy": "advisory", "aws-rds-backup-retention": { minDays: 3 } }),
      file("ok.json", []),
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'no-such-policy' is not a policy of the pack/);
    assert.match(
      r.stderr,
      new RegExp(
        /'aws-rds-backup-retention\.minDays' is not a setting of this policy; /.source +
          /allowed: enforcementLevel, minRetentionDays/.source,
      ),
    );
  });

  it("documents itself in --help", () => {
    const r = warbler("policy", "check", "--help");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Exit codes: 0 no mandatory violation/);
  });
});

describe("warbler policy list", () => {
  it("lists every policy with its default enforcement", () => {
    const r = warbler("policy", "list", "--json");
    assert.equal(r.code, 0);
    const listed = JSON.parse(r.stdout) as { id: string; enforcementLevel: string }[];
    assert.deepEqual(
      listed.map((p) => `${p.id}:${p.enforcementLevel}`),
      allPolicies.map((p) => `${p.id}:${p.enforcementLevel}`),
    );
  });
});
