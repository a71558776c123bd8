import { readFile } from "node:fs/promises";

/**
 * ACK RRSA: the pod's projected OIDC token exchanged for short-lived STS credentials, which OSS's S3-compatible API
 * accepts with `x-amz-security-token` (the header the AWS SDK sends for a session token; OSS error 0002-00000009,
 * https://www.alibabacloud.com/help/doc-detail/473971.html). No access key is stored anywhere.
 *
 * The call is STS AssumeRoleWithOIDC (https://help.aliyun.com/zh/ram/api-assumerolewithoidc): anonymous (the OIDC
 * token is the proof, so no Signature/AccessKeyId parameters), POST to the regional endpoint with Version
 * 2015-04-01, Action, Format=JSON in the query and the role, provider, token and session name as a form body, as
 * Alibaba's own credentials library does (aliyun/credentials-nodejs src/providers/oidc_role_arn.ts). The answer is
 * `{ RequestId, AssumedRoleUser, OIDCTokenInfo, Credentials: { AccessKeyId, AccessKeySecret, SecurityToken,
 * Expiration } }` with Expiration in UTC ISO 8601.
 */

/** What ACK's RRSA webhook injects into a pod whose ServiceAccount is annotated for a role. */
export const rrsaEnvironment = [
  "ALIBABA_CLOUD_ROLE_ARN",
  "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
  "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
] as const;

export interface RrsaOptions {
  roleArn: string;
  oidcProviderArn: string;
  /** The projected ServiceAccount token, re-read on every exchange (the kubelet rotates it). */
  oidcTokenFile: string;
  /** STS base URL. From inside a VPC: `https://sts-vpc.<region>.aliyuncs.com` (see stsVpcEndpoint). */
  endpoint: string;
  /** Shown in ActionTrail for every call made with the credentials. @default "warbler-upload" */
  sessionName?: string;
  /** Lifetime asked for: 900 up to the role's MaxSessionDuration. @default 3600 */
  durationSeconds?: number;
  /** Exchange again when the credentials expire within this. @default 300_000 (5 minutes) */
  refreshBeforeMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/**
 * The VPC endpoint of STS in a region:
 * https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-endpoint
 */
export function stsVpcEndpoint(region: string): string {
  return `https://sts-vpc.${region}.aliyuncs.com`;
}

/** RRSA settings from the pod's environment; throws naming every variable that is missing. */
export function rrsaFromEnvironment(
  env: NodeJS.ProcessEnv,
  endpoint: string,
): Pick<RrsaOptions, "roleArn" | "oidcProviderArn" | "oidcTokenFile" | "endpoint"> {
  const missing = rrsaEnvironment.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `RRSA is not set up for this pod: ${missing.join(", ")} missing; annotate its ServiceAccount for the ` +
        "upload role and enable ack-pod-identity-webhook",
    );
  }
  return {
    roleArn: env.ALIBABA_CLOUD_ROLE_ARN!,
    oidcProviderArn: env.ALIBABA_CLOUD_OIDC_PROVIDER_ARN!,
    oidcTokenFile: env.ALIBABA_CLOUD_OIDC_TOKEN_FILE!,
    endpoint,
  };
}

/** One AssumeRoleWithOIDC exchange. */
export async function assumeRoleWithOidc(o: RrsaOptions): Promise<TemporaryCredentials> {
  const token = (await readFile(o.oidcTokenFile, "utf8")).trim();
  const url = new URL(o.endpoint);
  url.search = new URLSearchParams({ Action: "AssumeRoleWithOIDC", Version: "2015-04-01", Format: "JSON" }).toString();
  const body = new URLSearchParams({
    RoleArn: o.roleArn,
    OIDCProviderArn: o.oidcProviderArn,
    OIDCToken: token,
    RoleSessionName: o.sessionName ?? "warbler-upload",
    DurationSeconds: String(o.durationSeconds ?? 3600),
  });
  const response = await (o.fetch ?? fetch)(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let answer: { Code?: string; Message?: string; Credentials?: Record<string, string> } = {};
  try {
    answer = JSON.parse(text);
  } catch {
    // Reported below with the status.
  }
  if (!response.ok) {
    const why = answer.Code ? `${answer.Code}: ${answer.Message ?? ""}` : text.slice(0, 200);
    throw new Error(`STS AssumeRoleWithOIDC at ${url.origin} answered ${response.status} (${why.trim()})`);
  }
  const c = answer.Credentials ?? {};
  const expiration = new Date(c.Expiration ?? "");
  if (!c.AccessKeyId || !c.AccessKeySecret || !c.SecurityToken || Number.isNaN(expiration.getTime())) {
    throw new Error(`STS AssumeRoleWithOIDC at ${url.origin} answered without complete Credentials`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.AccessKeySecret,
    sessionToken: c.SecurityToken,
    expiration,
  };
}

/**
 * A credentials provider for the AWS SDK's S3 client: exchanges once, then again shortly before expiry.
 * Concurrent callers share one exchange.
 */
export function rrsaCredentials(o: RrsaOptions): () => Promise<TemporaryCredentials> {
  const refreshBeforeMs = o.refreshBeforeMs ?? 300_000;
  let current: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;
  return () => {
    if (current && current.expiration.getTime() - Date.now() > refreshBeforeMs) return Promise.resolve(current);
    pending ??= assumeRoleWithOidc(o)
      .then((fresh) => {
        current = fresh;
        return fresh;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
