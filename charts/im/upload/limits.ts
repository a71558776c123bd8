/**
 * What the service accepts and how it serves it back: pure decisions, no I/O.
 *
 * Content types. XMPP clients share any kind of file, so the default refuses no well-formed type; the protection
 * is on the way out. A browser that opens a shared link gets the stored type with `X-Content-Type-Options: nosniff`
 * and a sandboxing Content-Security-Policy, and only types that cannot run script are served inline: everything
 * else (HTML, SVG, XML, PDF, JavaScript, unknown) is served as an attachment, so a download never runs in the
 * service's origin. Operators can refuse types outright with `refuse`.
 */

export interface ContentTypePolicy {
  /**
   * Media types refused at upload (415): exact `type/subtype`, or `type/*`. Compared without parameters, lowercase.
   * @default [] (every well-formed type is accepted)
   */
  refuse?: string[];
  /** Media types a browser may render inline; anything else downloads as an attachment. @default inlineSafeTypes */
  inline?: string[];
}

/** Types browsers render without running script in them: raster images, audio, video, plain text. */
export const inlineSafeTypes: readonly string[] = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
  "audio/*",
  "video/*",
  "text/plain",
];

/** The type clients get when the PUT named none, as ejabberd does for a slot request without one. */
export const defaultContentType = "application/octet-stream";

// RFC 9110 token characters for type and subtype; parameters are kept but not interpreted.
const mediaType = /^([!#$%&'*+.^_`|~0-9a-z-]+)\/([!#$%&'*+.^_`|~0-9a-z-]+)\s*(;.*)?$/;

/** The essence (`type/subtype`, lowercase) of a Content-Type header, or undefined when it is malformed. */
export function essenceOf(contentType: string): string | undefined {
  const match = mediaType.exec(contentType.trim().toLowerCase());
  if (!match || contentType.length > 255) return undefined;
  return `${match[1]}/${match[2]}`;
}

function matches(essence: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    return pattern.endsWith("/*") ? essence.startsWith(pattern.slice(0, -1)) : essence === pattern;
  });
}

/** Why a PUT is refused: the metric label and log field. */
export type Refusal =
  | "bad-path"
  | "bad-token"
  | "no-length"
  | "too-large"
  | "content-type"
  | "quota"
  | "exists"
  | "short-body";

/**
 * HTTP status for each refusal. A Content-Length other than the signed size fails the token (403). Quota is 413
 * too, with its own body text: a 4xx, because retrying cannot help; the user must delete files or send less.
 */
export const refusalStatus: Record<Refusal, number> = {
  "bad-path": 404,
  "bad-token": 403,
  "no-length": 411,
  "too-large": 413,
  "content-type": 415,
  quota: 413,
  exists: 409,
  "short-body": 400,
};

export interface UploadRequest {
  /** The Content-Length header, if any (chunked bodies have none). */
  contentLength: string | undefined;
  /** The Content-Type header, if any. */
  contentType: string | undefined;
}

export interface UploadLimits {
  maxFileSize: number;
  policy: ContentTypePolicy;
}

/**
 * Checks what can be checked before the token and the ledger: a declared length (the token signs it, and the body
 * is streamed, so it must be known first), at most maxFileSize, and an acceptable content type. Returns the size
 * and the type to store, or the refusal.
 */
export function checkUpload(
  request: UploadRequest,
  limits: UploadLimits,
): { ok: true; size: number; contentType: string } | { ok: false; refusal: Refusal } {
  const length = request.contentLength;
  if (length === undefined || !/^\d{1,16}$/.test(length)) return { ok: false, refusal: "no-length" };
  const size = Number(length);
  if (size > limits.maxFileSize) return { ok: false, refusal: "too-large" };
  const contentType = request.contentType?.trim() || defaultContentType;
  const essence = essenceOf(contentType);
  if (essence === undefined || matches(essence, limits.policy.refuse ?? [])) {
    return { ok: false, refusal: "content-type" };
  }
  return { ok: true, size, contentType };
}

/** True when storing `size` more bytes keeps the owner within `quotaBytes`. */
export function withinQuota(usedBytes: number, size: number, quotaBytes: number): boolean {
  return usedBytes + size <= quotaBytes;
}

/** Headers for a GET or HEAD of a stored file (see the module comment for why). */
export function downloadHeaders(
  stored: { contentType: string; size: number; file: string },
  policy: ContentTypePolicy,
): Record<string, string> {
  const essence = essenceOf(stored.contentType);
  const inline = essence !== undefined && matches(essence, policy.inline ?? inlineSafeTypes);
  // An attachment keeps its stored type, so the client still knows what it is; a malformed one is not echoed.
  const type = essence === undefined ? defaultContentType : stored.contentType;
  return {
    "Content-Type": type,
    "Content-Length": String(stored.size),
    "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeRFC5987(stored.file)}`,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    // The bytes at a slot URL never change, but erasure must reach every copy: no shared caches.
    "Cache-Control": "private, max-age=86400, immutable",
  };
}

function encodeRFC5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
