import type { ObjectStore } from "./store";
import { rrsaCredentials, rrsaFromEnvironment, stsVpcEndpoint } from "./stores/alibaba-credentials";
import { azureBlobStore } from "./stores/azure-blob";
import { s3Store } from "./stores/s3";

/**
 * The upload service's configuration. main.ts is the entry point (the bundle components/kubernetes/upload-bundle.ts
 * builds). Configured by environment; secrets come from files a Kubernetes Secret mounts. Every variable:
 *
 *   WARBLER_UPLOAD_BACKEND          s3 | oss | azure-blob
 *   WARBLER_UPLOAD_SECRET_FILE      file holding ejabberd's mod_http_upload external_secret
 *   WARBLER_UPLOAD_DATABASE_URL_FILE  file holding the upload role's postgres:// URL
 *                                   (with sslmode=verify-full&sslrootcert=… in the cluster)
 *   WARBLER_UPLOAD_DOMAINS          comma-separated ejabberd virtual hosts (erasure keeps their accounts' files)
 *   WARBLER_UPLOAD_MAX_FILE_SIZE    largest file in bytes (match ejabberd's max_size)
 *   WARBLER_UPLOAD_QUOTA_BYTES      bytes per user
 *   WARBLER_UPLOAD_PORT             listen port on 0.0.0.0 (default 8080)
 *   WARBLER_UPLOAD_METRICS_PORT     Prometheus /metrics port on 0.0.0.0 (default 9151)
 *   WARBLER_UPLOAD_PATH_PREFIX      path put_url ends with, as the service sees it (default "/")
 *   WARBLER_UPLOAD_ERASE_INTERVAL_MS  erasure sweep period (default 300000)
 *   WARBLER_UPLOAD_REFUSED_TYPES    comma-separated media types refused at upload (default none)
 *   WARBLER_UPLOAD_BUCKET           s3, oss: bucket name
 *   WARBLER_UPLOAD_REGION           s3, oss: region (cn-hangzhou, eu-central-1, …)
 *   WARBLER_UPLOAD_ENDPOINT         s3: optional S3-compatible endpoint (local servers); oss: default
 *                                   https://s3.oss-<region>-internal.aliyuncs.com
 *   WARBLER_UPLOAD_FORCE_PATH_STYLE s3: "true" for local servers (default false; OSS needs virtual-hosted)
 *   WARBLER_UPLOAD_KMS_KEY_ID       s3: KMS key for SSE-KMS on every PUT (default: the bucket's default encryption)
 *   WARBLER_UPLOAD_STS_ENDPOINT     oss: STS base URL (default https://sts-vpc.<region>.aliyuncs.com)
 *   WARBLER_UPLOAD_ACCOUNT_URL      azure-blob: https://<account>.blob.core.windows.net
 *   WARBLER_UPLOAD_CONTAINER        azure-blob: container name
 * Credentials come from the pod's workload identity, never from a key: IRSA (AWS_ROLE_ARN,
 * AWS_WEB_IDENTITY_TOKEN_FILE), Azure workload identity (AZURE_CLIENT_ID, AZURE_TENANT_ID,
 * AZURE_FEDERATED_TOKEN_FILE), ACK RRSA (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN,
 * ALIBABA_CLOUD_OIDC_TOKEN_FILE), each injected by the cluster's identity webhook.
 */

export const usage = `warbler upload service: configured by WARBLER_UPLOAD_* environment variables (see docs/im.md,
"The upload service"). Required: WARBLER_UPLOAD_BACKEND, WARBLER_UPLOAD_SECRET_FILE,
WARBLER_UPLOAD_DATABASE_URL_FILE, WARBLER_UPLOAD_DOMAINS, WARBLER_UPLOAD_MAX_FILE_SIZE, WARBLER_UPLOAD_QUOTA_BYTES.`;

const backends = ["s3", "oss", "azure-blob"] as const;

/** Reads the environment; throws one error naming every missing or bad variable. */
export function configFromEnvironment(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const need = (name: string) => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? "";
  };
  const positive = (name: string, fallback?: number) => {
    const raw = env[name]?.trim();
    if (!raw && fallback !== undefined) return fallback;
    const value = Number(raw);
    if (!raw || !Number.isSafeInteger(value) || value <= 0)
      problems.push(`${name} (${JSON.stringify(raw ?? "")}) must be a positive integer`);
    return value;
  };
  const backend = need("WARBLER_UPLOAD_BACKEND");
  if (backend && !(backends as readonly string[]).includes(backend)) {
    problems.push(`WARBLER_UPLOAD_BACKEND (${JSON.stringify(backend)}) must be one of ${backends.join(", ")}`);
  }
  const config = {
    backend: backend as (typeof backends)[number],
    secretFile: need("WARBLER_UPLOAD_SECRET_FILE"),
    databaseUrlFile: need("WARBLER_UPLOAD_DATABASE_URL_FILE"),
    domains: need("WARBLER_UPLOAD_DOMAINS")
      .split(",")
      .map((d) => d.trim())
      .filter(Boolean),
    maxFileSize: positive("WARBLER_UPLOAD_MAX_FILE_SIZE"),
    quotaBytes: positive("WARBLER_UPLOAD_QUOTA_BYTES"),
    port: positive("WARBLER_UPLOAD_PORT", 8080),
    metricsPort: positive("WARBLER_UPLOAD_METRICS_PORT", 9151),
    eraseIntervalMs: positive("WARBLER_UPLOAD_ERASE_INTERVAL_MS", 300_000),
    pathPrefix: env.WARBLER_UPLOAD_PATH_PREFIX?.trim() || "/",
    refusedTypes: (env.WARBLER_UPLOAD_REFUSED_TYPES ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
  };
  if (config.backend === "s3" || config.backend === "oss") {
    need("WARBLER_UPLOAD_BUCKET");
    need("WARBLER_UPLOAD_REGION");
  }
  if (config.backend === "azure-blob") {
    need("WARBLER_UPLOAD_ACCOUNT_URL");
    need("WARBLER_UPLOAD_CONTAINER");
  }
  if (problems.length > 0) throw new Error(`bad environment:\n  - ${problems.join("\n  - ")}`);
  return config;
}

/** The object store the environment names, with the pod's workload identity. */
export function storeFromEnvironment(env: NodeJS.ProcessEnv, backend: (typeof backends)[number]): ObjectStore {
  const region = env.WARBLER_UPLOAD_REGION ?? "";
  const bucket = env.WARBLER_UPLOAD_BUCKET ?? "";
  switch (backend) {
    case "s3":
      return s3Store({
        bucket,
        region,
        endpoint: env.WARBLER_UPLOAD_ENDPOINT || undefined,
        forcePathStyle: env.WARBLER_UPLOAD_FORCE_PATH_STYLE === "true",
        kmsKeyId: env.WARBLER_UPLOAD_KMS_KEY_ID || undefined,
      });
    case "oss":
      return s3Store({
        kind: "oss",
        bucket,
        region,
        // OSS's S3-compatible internal endpoint, virtual-hosted:
        // https://help.aliyun.com/en/oss/developer-reference/use-aws-sdks-to-access-oss
        endpoint: env.WARBLER_UPLOAD_ENDPOINT || `https://s3.oss-${region}-internal.aliyuncs.com`,
        forcePathStyle: false,
        credentials: rrsaCredentials(
          rrsaFromEnvironment(env, env.WARBLER_UPLOAD_STS_ENDPOINT || stsVpcEndpoint(region)),
        ),
      });
    case "azure-blob":
      return azureBlobStore({
        accountUrl: env.WARBLER_UPLOAD_ACCOUNT_URL ?? "",
        container: env.WARBLER_UPLOAD_CONTAINER ?? "",
      });
  }
}
