import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The slot tokens ejabberd's mod_http_upload signs when `external_secret` is set (the "v1" scheme of Prosody's
 * mod_http_upload_external). Read from processone/ejabberd src/mod_http_upload.erl, make_query_string/3, and checked
 * against Debian's ejabberd 23.01 on this machine:
 *   v = lowercase hex of HMAC-SHA256(external_secret, "<owner>/<random>/<file> <size>")
 * The path is the slot's own three segments, not percent-encoded and without put_url's prefix; the size is the
 * decimal byte count the client asked for. The content type is not signed, and nothing about time is: a v1 token
 * never expires, which is why the service accepts one successful PUT per slot (see server.ts).
 */

/** One slot's path: what ejabberd signs and what the object key is. */
export interface SlotPath {
  /** sha1 of the uploader's bare JID, lowercase hex (mod_http_upload's default `jid_in_url: sha1`). */
  owner: string;
  /** Random alphanumeric segment (`secret_length`, 40 by default). */
  random: string;
  /** The file name, with anything but letters, digits, `_`, `.` and `-` replaced by `_` by ejabberd. */
  file: string;
  /** `<owner>/<random>/<file>`: the HMAC input's path and the object's key in the store. */
  key: string;
}

const owner = /^[0-9a-f]{40}$/;
// ejabberd's p1_rand:get_alphanum_string; the length is configurable, so only the alphabet is checked.
const random = /^[0-9A-Za-z]{1,128}$/;
// make_file_string/1 replaces everything but PCRE's \p{Xan} (letters and numbers), `_`, `.` and `-` with `_`.
const file = /^[\p{L}\p{N}_.-]{1,255}$/u;

/**
 * Splits a request path (`/<prefix>/<owner>/<random>/<file>`, percent-encoded as ejabberd writes the URL) into its
 * slot. Returns undefined for anything else, including `..`, empty or extra segments, so that no request can name a
 * key outside the slot layout.
 */
export function parseSlotPath(pathname: string, prefix = "/"): SlotPath | undefined {
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  if (!pathname.startsWith(base)) return undefined;
  const segments = pathname.slice(base.length).split("/");
  if (segments.length !== 3) return undefined;
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  const [o, r, f] = decoded;
  if (!owner.test(o) || !random.test(r)) return undefined;
  if (!file.test(f) || f === "." || f === "..") return undefined;
  return { owner: o, random: r, file: f, key: `${o}/${r}/${f}` };
}

/** The token ejabberd puts in `?v=` for a slot of `size` bytes. */
export function signSlot(secret: string, key: string, size: number): string {
  return createHmac("sha256", secret).update(`${key} ${size}`).digest("hex");
}

/** True when `token` is the slot's token for exactly `size` bytes; compared in constant time. */
export function verifySlot(secret: string, key: string, size: number, token: string | null | undefined): boolean {
  if (!token || !/^[0-9a-f]{64}$/i.test(token) || !Number.isSafeInteger(size) || size < 0) return false;
  const expected = Buffer.from(signSlot(secret, key, size), "hex");
  return timingSafeEqual(expected, Buffer.from(token, "hex"));
}

/**
 * The owner segment of a user's slots: sha1 of `username@server_host`, lowercase hex, as ejabberd's
 * make_user_string/2 computes it from the stringprepped JID (users.username is stored that way).
 */
export function ownerOf(username: string, serverHost: string): string {
  return createHash("sha1").update(`${username}@${serverHost}`).digest("hex");
}
