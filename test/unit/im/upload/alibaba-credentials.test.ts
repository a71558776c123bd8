import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  assumeRoleWithOidc,
  rrsaCredentials,
  rrsaFromEnvironment,
  stsVpcEndpoint,
} from "../../../../charts/im/upload/stores/alibaba-credentials";

/*
 * A local STS that answers AssumeRoleWithOIDC as the real one does. Sources:
 * - API: https://help.aliyun.com/zh/ram/api-assumerolewithoidc (anonymous: no Signature/AccessKeyId; parameters
 *   OIDCProviderArn, RoleArn, OIDCToken, RoleSessionName, DurationSeconds 900..MaxSessionDuration, default 3600).
 * - Request as Alibaba's own Node library sends it: aliyun/credentials-nodejs src/providers/oidc_role_arn.ts (POST,
 *   Version/Action/Format in the query, the rest as an x-www-form-urlencoded body).
 * - Response shape: AssumeRoleWithOIDCResponseBody in alibabacloud-go/sts-20150401 (vendored in
 *   kubernetes-sigs/alibaba-cloud-csi-driver): RequestId, OIDCTokenInfo, AssumedRoleUser { Arn, AssumedRoleId },
 *   Credentials { AccessKeyId, AccessKeySecret, Expiration "2021-10-20T04:27:09Z" (UTC), SecurityToken }.
 * - VPC endpoint sts-vpc.<region>.aliyuncs.com:
 *   https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-endpoint
 * - ACK RRSA's variables ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE:
 *   aliyun/alibabacloud-landing-zone solution/solution-ack-sts-token (CredentialsOIDCRoleArnSample.java).
 */

interface Seen {
  method?: string;
  query: URLSearchParams;
  form: URLSearchParams;
}

let server: Server;
let endpoint: string;
const seen: Seen[] = [];
let answer: (n: number) => { status: number; body: unknown } = () => ({ status: 500, body: {} });
let dir: string;
let tokenFile: string;

const credentials = (n: number, expiresInMs: number) => ({
  RequestId: "3D57EAD2-8723-1F26-B69C-F8707D8B565D",
  OIDCTokenInfo: {
    Subject: "system:serviceaccount:im:upload",
    Issuer: "https://oidc-ack.example",
    ClientIds: "sts.aliyuncs.com",
  },
  AssumedRoleUser: { Arn: "acs:ram::113511544585****:role/upload/warbler-upload", AssumedRoleId: "33157794895460****" },
  Credentials: {
    AccessKeyId: `STS.key-${n}`,
    AccessKeySecret: `secret-${n}`,
    SecurityToken: `token-${n}`,
    Expiration: new Date(Date.now() + expiresInMs).toISOString().replace(/\.\d+Z$/, "Z"),
  },
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "warbler-rrsa-"));
  tokenFile = join(dir, "token");
  writeFileSync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.projected.token\n");
  server = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? "/", "http://sts");
    seen.push({ method: req.method, query: url.searchParams, form: new URLSearchParams(body) });
    const { status, body: reply } = answer(seen.length);
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(reply));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((ok) => server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

const options = () => ({
  roleArn: "acs:ram::113511544585****:role/warbler-upload",
  oidcProviderArn: "acs:ram::113511544585****:oidc-provider/ack-rrsa-c1",
  oidcTokenFile: tokenFile,
  endpoint,
});

describe("ACK RRSA credentials (STS AssumeRoleWithOIDC)", () => {
  it("sends the documented anonymous request and maps the answer to SDK credentials", async () => {
    seen.length = 0;
    answer = (n) => ({ status: 200, body: credentials(n, 3600_000) });
    const c = await assumeRoleWithOidc(options());
    assert.equal(c.accessKeyId, "STS.key-1");
    assert.equal(c.secretAccessKey, "secret-1");
    assert.equal(c.sessionToken, "token-1");
    assert.ok(c.expiration.getTime() > Date.now());
    const [request] = seen;
    assert.equal(request.method, "POST");
    assert.deepEqual(Object.fromEntries(request.query), {
      Action: "AssumeRoleWithOIDC",
      Version: "2015-04-01",
      Format: "JSON",
    });
    assert.deepEqual(Object.fromEntries(request.form), {
      RoleArn: options().roleArn,
      OIDCProviderArn: options().oidcProviderArn,
      OIDCToken: "eyJhbGciOiJSUzI1NiJ9.projected.token",
      RoleSessionName: "warbler-upload",
      DurationSeconds: "3600",
    });
    assert.equal(request.query.get("Signature"), null, "anonymous: no signature");
  });

  it("reuses credentials until shortly before they expire, then exchanges the (re-read) token again", async () => {
    seen.length = 0;
    // First credentials expire in 10 minutes; with a 5-minute margin they are reused, with 15 minutes not.
    answer = (n) => ({ status: 200, body: credentials(n, 600_000) });
    const reused = rrsaCredentials({ ...options(), refreshBeforeMs: 300_000 });
    const [a, b] = await Promise.all([reused(), reused()]);
    assert.equal(a.accessKeyId, "STS.key-1");
    assert.equal(b.accessKeyId, "STS.key-1");
    assert.equal((await reused()).accessKeyId, "STS.key-1");
    assert.equal(seen.length, 1, "one exchange for concurrent and later callers");

    const refreshed = rrsaCredentials({ ...options(), refreshBeforeMs: 900_000 });
    await refreshed();
    writeFileSync(tokenFile, "rotated.token");
    assert.equal((await refreshed()).accessKeyId, "STS.key-3");
    assert.equal(seen[2].form.get("OIDCToken"), "rotated.token");
  });

  it("fails clearly when STS refuses, naming its error code", async () => {
    answer = () => ({
      status: 400,
      body: {
        RequestId: "x",
        HostId: "sts.aliyuncs.com",
        Code: "AuthenticationFail.OIDCToken.Expired",
        Message: "expired",
      },
    });
    await assert.rejects(
      assumeRoleWithOidc(options()),
      /answered 400 \(AuthenticationFail\.OIDCToken\.Expired: expired\)/,
    );
  });

  it("fails clearly on an answer without complete credentials", async () => {
    answer = () => ({ status: 200, body: { RequestId: "x", Credentials: { AccessKeyId: "STS.a" } } });
    await assert.rejects(assumeRoleWithOidc(options()), /without complete Credentials/);
  });

  it("names every RRSA variable missing from the pod's environment", () => {
    assert.throws(
      () => rrsaFromEnvironment({ ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1:role/r" }, stsVpcEndpoint("cn-hangzhou")),
      /ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE missing/,
    );
    const env = {
      ALIBABA_CLOUD_ROLE_ARN: "r",
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "p",
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: "/path/to/projected/token",
    };
    assert.equal(
      rrsaFromEnvironment(env, stsVpcEndpoint("cn-hangzhou")).endpoint,
      "https://sts-vpc.cn-hangzhou.aliyuncs.com",
    );
  });
});
