import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import type { ObjectStore, StoredObject } from "../store";

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /**
   * An S3-compatible endpoint: OSS's `https://s3.oss-<region>-internal.aliyuncs.com`, or a local server.
   * @default - AWS S3's regional endpoint
   */
  endpoint?: string;
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), for local servers; OSS wants virtual-hosted. @default false */
  forcePathStyle?: boolean;
  /**
   * KMS key id or ARN sent with every PUT (SSE-KMS). The buckets already encrypt by default with the stack's key
   * (components/aws/bucket.ts, components/alicloud/bucket.ts), so this only makes the choice explicit per object.
   * @default - none: the bucket's default encryption applies
   */
  kmsKeyId?: string;
  /**
   * Credentials. @default - the SDK's default provider chain, which on EKS reads IRSA's AWS_ROLE_ARN and
   * AWS_WEB_IDENTITY_TOKEN_FILE and exchanges the token with STS AssumeRoleWithWebIdentity
   */
  credentials?: S3ClientConfig["credentials"];
  /** Names the backend in logs and metrics. @default "s3" */
  kind?: string;
}

/**
 * AWS S3, and Alibaba OSS through its S3-compatible API, with @aws-sdk/client-s3. Against any endpoint but AWS's
 * own, request checksums are sent only where the API requires them: since SDK 3.729.0 the SDK adds a CRC32 trailer
 * (aws-chunked encoding) to every streamed PutObject by default, and OSS's own AWS-SDK guide turns chunked encoding
 * off (https://help.aliyun.com/en/oss/developer-reference/use-aws-sdks-to-access-oss; AWS's note:
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/s3-checksums.html).
 */
export function s3Store(o: S3StoreOptions): ObjectStore {
  const compatible = o.endpoint !== undefined;
  const client = new S3Client({
    region: o.region,
    endpoint: o.endpoint,
    forcePathStyle: o.forcePathStyle ?? false,
    credentials: o.credentials,
    ...(compatible ? { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" } : {}),
  });
  const Bucket = o.bucket;
  const notFound = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const meta = (r: { ContentLength?: number; ContentType?: string }): StoredObject => ({
    size: r.ContentLength ?? 0,
    contentType: r.ContentType ?? "application/octet-stream",
  });
  return {
    kind: o.kind ?? "s3",
    async put(key, body, size, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentLength: size,
          ContentType: contentType,
          ...(o.kmsKeyId ? { ServerSideEncryption: "aws:kms", SSEKMSKeyId: o.kmsKeyId } : {}),
        }),
      );
    },
    async head(key) {
      try {
        return meta(await client.send(new HeadObjectCommand({ Bucket, Key: key })));
      } catch (err) {
        if (notFound(err) === 404) return undefined;
        throw err;
      }
    },
    async get(key) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return { ...meta(r), body: r.Body as Readable };
      } catch (err) {
        if (notFound(err) === 404) return undefined;
        throw err;
      }
    },
    async delete(key) {
      // S3 answers 204 for a key that does not exist, so a repeated sweep is harmless.
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}
