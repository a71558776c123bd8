import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkUpload,
  defaultContentType,
  downloadHeaders,
  essenceOf,
  refusalStatus,
  withinQuota,
} from "../../../../charts/im/upload/limits";

const limits = { maxFileSize: 1000, policy: {} };

describe("upload limits", () => {
  const cases: [string, { contentLength?: string; contentType?: string }, unknown][] = [
    [
      "a declared size within the maximum",
      { contentLength: "1000", contentType: "image/png" },
      { ok: true, size: 1000, contentType: "image/png" },
    ],
    ["no type: ejabberd's default", { contentLength: "0" }, { ok: true, size: 0, contentType: defaultContentType }],
    ["no Content-Length (chunked)", { contentType: "image/png" }, { ok: false, refusal: "no-length" }],
    ["a Content-Length that is not a number", { contentLength: "1e3" }, { ok: false, refusal: "no-length" }],
    ["one byte over the maximum", { contentLength: "1001" }, { ok: false, refusal: "too-large" }],
    ["a malformed type", { contentLength: "1", contentType: "image" }, { ok: false, refusal: "content-type" }],
    [
      "a type with parameters",
      { contentLength: "1", contentType: "text/plain; charset=utf-8" },
      { ok: true, size: 1, contentType: "text/plain; charset=utf-8" },
    ],
  ];
  for (const [why, request, expected] of cases) {
    it(`${why}`, () =>
      assert.deepEqual(
        checkUpload({ contentLength: request.contentLength, contentType: request.contentType }, limits),
        expected,
      ));
  }

  it("refuses configured types, exactly or by top-level wildcard, case-insensitively", () => {
    const policy = { refuse: ["text/html", "application/*"] };
    const check = (type: string) => checkUpload({ contentLength: "1", contentType: type }, { maxFileSize: 10, policy });
    assert.deepEqual(check("TEXT/HTML; charset=utf-8"), { ok: false, refusal: "content-type" });
    assert.deepEqual(check("application/zip"), { ok: false, refusal: "content-type" });
    assert.equal(check("text/plain").ok, true);
  });

  it("the quota admits exactly up to the limit", () => {
    assert.equal(withinQuota(90, 10, 100), true);
    assert.equal(withinQuota(90, 11, 100), false);
  });

  it("every refusal is a 4xx", () => {
    for (const status of Object.values(refusalStatus)) assert.ok(status >= 400 && status < 500);
  });
});

describe("download headers", () => {
  const headers = (contentType: string) => downloadHeaders({ contentType, size: 5, file: "f" }, {});

  it("serves raster images, audio, video and plain text inline", () => {
    for (const type of ["image/png", "image/jpeg", "audio/ogg", "video/mp4", "text/plain; charset=utf-8"]) {
      assert.match(headers(type)["Content-Disposition"], /^inline;/, type);
    }
  });

  it("serves types that can run script (HTML, SVG, XML, PDF, JavaScript) and unknown ones as attachments", () => {
    for (const type of [
      "text/html",
      "image/svg+xml",
      "application/xhtml+xml",
      "text/xml",
      "application/pdf",
      "text/javascript",
      "application/x-whatever",
    ]) {
      assert.match(headers(type)["Content-Disposition"], /^attachment;/, type);
    }
  });

  it("always forbids sniffing, sandboxes the document and keeps shared caches out", () => {
    const h = headers("image/png");
    assert.equal(h["X-Content-Type-Options"], "nosniff");
    assert.equal(h["Content-Security-Policy"], "default-src 'none'; sandbox");
    assert.match(h["Cache-Control"], /^private,/);
  });

  it("never echoes a malformed stored type", () => {
    assert.equal(headers("text/html\r\nX-Evil: 1")["Content-Type"], defaultContentType);
    assert.equal(essenceOf("text/html\r\nX-Evil: 1"), undefined);
  });

  it("encodes the file name for Content-Disposition (RFC 5987)", () => {
    const h = downloadHeaders({ contentType: "image/png", size: 1, file: "héllo_(1).png" }, {});
    assert.equal(h["Content-Disposition"], "inline; filename*=UTF-8''h%C3%A9llo_%281%29.png");
  });
});
