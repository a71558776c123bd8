import { X509Certificate } from "node:crypto";

const PEM_BLOCK_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Why `pem` cannot serve as the CA bundle a client verifies a server against,
 * or undefined when it can: PEM certificate blocks and no other kind, each a
 * CA certificate, at least one of them valid at `now`. Bundles often keep a
 * retired root beside its successor, so one expired certificate is no fault.
 */
export function caBundleProblem(pem: string, now: Date = new Date()): string | undefined {
  const blocks = pem.match(PEM_BLOCK_RE) ?? [];
  if (blocks.length === 0) return "must hold PEM CA certificates (-----BEGIN CERTIFICATE----- blocks)";
  // Text around the blocks is how many bundles label their certificates; another kind of block means the wrong file.
  const other = /-----BEGIN ((?!CERTIFICATE-----)[A-Z0-9 ]+)-----/.exec(pem);
  if (other) return `holds a ${other[1]} block; only CA certificates belong in a CA bundle`;
  const outOfDate: string[] = [];
  for (const [i, block] of blocks.entries()) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch {
      return `certificate ${i + 1} is not a valid X.509 certificate`;
    }
    const name = `certificate ${i + 1} (${cert.subject.replace(/\n/g, ", ")})`;
    if (!cert.ca) return `${name} is not a CA certificate; use the CA chain, not a server certificate`;
    if (new Date(cert.validTo) <= now) outOfDate.push(`${name} expired on ${cert.validTo}`);
    else if (new Date(cert.validFrom) > now) outOfDate.push(`${name} is not valid before ${cert.validFrom}`);
  }
  if (outOfDate.length === blocks.length) return `holds no certificate that is valid now: ${outOfDate.join("; ")}`;
  return undefined;
}
