import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { configFromEnvironment, storeFromEnvironment } from "../../../../charts/im/upload/environment";
import { Metrics } from "../../../../charts/im/upload/metrics";
import { configMapLimitBytes, uploadBundle, uploadBundleFile } from "../../../../components/kubernetes/upload-bundle";

/*
 * "The data stored in a ConfigMap cannot exceed 1 MiB" (https://kubernetes.io/docs/concepts/configuration/configmap/,
 * repo kubernetes/website content/en/docs/concepts/configuration/configmap.md). binaryData is stored as base64.
 */

const dir = mkdtempSync(join(tmpdir(), "warbler-upload-bundle-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bundle the way the pod does: the image's node, the loader, the compressed file from the ConfigMap. */
function runBundle(args: string[], env: NodeJS.ProcessEnv = {}) {
  const bundle = uploadBundle();
  writeFileSync(join(dir, uploadBundleFile), Buffer.from(bundle.binaryData[uploadBundleFile], "base64"));
  const [command, ...rest] = bundle.command(dir);
  return spawnSync(command, [...rest, ...args], {
    encoding: "utf8",
    cwd: dir,
    env: { PATH: process.env.PATH, ...env },
    timeout: 20_000,
  });
}

describe("upload bundle", () => {
  it("fits a ConfigMap as compressed binaryData, though the plain bundle would not", () => {
    const bundle = uploadBundle();
    assert.ok(bundle.storedBytes < configMapLimitBytes, `${bundle.storedBytes} bytes`);
    assert.ok(bundle.rawBytes > bundle.storedBytes);
  });

  it("unpacks and runs with node alone: --help prints the variables", () => {
    const r = runBundle(["--help"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /WARBLER_UPLOAD_BACKEND/);
  });

  it("a start without its environment exits 1 naming every missing variable", () => {
    const r = runBundle([]);
    assert.equal(r.status, 1);
    for (const name of ["WARBLER_UPLOAD_BACKEND", "WARBLER_UPLOAD_SECRET_FILE", "WARBLER_UPLOAD_DOMAINS"]) {
      assert.match(r.stderr, new RegExp(name));
    }
  });

  it("an oss backend without RRSA in the pod fails at start, naming the variables", () => {
    const secret = join(dir, "secret");
    writeFileSync(secret, "s");
    const r = runBundle([], {
      WARBLER_UPLOAD_BACKEND: "oss",
      WARBLER_UPLOAD_SECRET_FILE: secret,
      WARBLER_UPLOAD_DATABASE_URL_FILE: secret,
      WARBLER_UPLOAD_DOMAINS: "example.test",
      WARBLER_UPLOAD_MAX_FILE_SIZE: "1000",
      WARBLER_UPLOAD_QUOTA_BYTES: "1000",
      WARBLER_UPLOAD_BUCKET: "b",
      WARBLER_UPLOAD_REGION: "cn-hangzhou",
    });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE missing/,
    );
  });
});

describe("upload service environment", () => {
  const base = {
    WARBLER_UPLOAD_BACKEND: "azure-blob",
    WARBLER_UPLOAD_SECRET_FILE: "/s",
    WARBLER_UPLOAD_DATABASE_URL_FILE: "/d",
    WARBLER_UPLOAD_DOMAINS: "a.example, b.example",
    WARBLER_UPLOAD_MAX_FILE_SIZE: "104857600",
    WARBLER_UPLOAD_QUOTA_BYTES: "1073741824",
    WARBLER_UPLOAD_ACCOUNT_URL: "https://acct.blob.core.windows.net",
    WARBLER_UPLOAD_CONTAINER: "uploads",
  };

  it("reads a complete environment with its defaults", () => {
    const c = configFromEnvironment(base);
    assert.deepEqual(c.domains, ["a.example", "b.example"]);
    assert.equal(c.port, 8080);
    assert.equal(c.metricsPort, 9151);
    assert.equal(c.pathPrefix, "/");
  });

  it("names a bad backend, non-positive sizes and the backend's missing settings together", () => {
    assert.throws(
      () => configFromEnvironment({ ...base, WARBLER_UPLOAD_BACKEND: "gcs", WARBLER_UPLOAD_QUOTA_BYTES: "0" }),
      (err: Error) =>
        /WARBLER_UPLOAD_BACKEND \("gcs"\) must be one of s3, oss, azure-blob/.test(err.message) &&
        /WARBLER_UPLOAD_QUOTA_BYTES \("0"\) must be a positive integer/.test(err.message),
    );
    const { WARBLER_UPLOAD_CONTAINER: _, ...noContainer } = base;
    assert.throws(() => configFromEnvironment(noContainer), /WARBLER_UPLOAD_CONTAINER is required/);
  });

  it("points oss at the S3-compatible internal endpoint, virtual-hosted", () => {
    const store = storeFromEnvironment(
      {
        WARBLER_UPLOAD_REGION: "cn-hangzhou",
        WARBLER_UPLOAD_BUCKET: "b",
        ALIBABA_CLOUD_ROLE_ARN: "r",
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "p",
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: "/t",
      },
      "oss",
    );
    assert.equal(store.kind, "oss");
  });
});

describe("upload metrics", () => {
  it("renders every counter, at 0 before any event, with the backend label", () => {
    const m = new Metrics("s3");
    m.refused("quota");
    m.add("warbler_upload_uploaded_bytes_total", 42);
    const text = m.render();
    assert.match(
      text,
      /# TYPE warbler_upload_refusals_total counter\nwarbler_upload_refusals_total\{backend="s3",reason="quota"\} 1\n/,
    );
    assert.match(text, /warbler_upload_uploaded_bytes_total\{backend="s3"\} 42\n/);
    assert.match(text, /warbler_upload_erased_files_total\{backend="s3"\} 0\n/);
  });
});
