import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The CA generation every RDS instance of the kit is issued from (`caCertIdentifier`). */
export const RDS_CA_IDENTIFIER = "rds-ca-rsa2048-g1";

/** Where AWS publishes the bundle, for operators who refresh rds-ca-g1.pem. */
export const RDS_CA_SOURCE = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";

const BUNDLE_FILE = join(__dirname, "rds-ca-g1.pem");
const PEM_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in the shipped bundle, as PEM blocks. */
export function rdsCaCertificates(): string[] {
  return readFileSync(BUNDLE_FILE, "utf8").match(PEM_RE) ?? [];
}

/**
 * The PEM bundle a client needs for `verify-full` against RDS in `region`:
 * that region's G1 roots (RSA2048, RSA4096, ECC384), so a later switch of
 * `caCertIdentifier` within the generation needs no client change.
 */
export function rdsCaBundle(region: string): string {
  const marker = `CN=Amazon RDS ${region} Root CA `;
  const certs = rdsCaCertificates().filter((pem) =>
    new X509Certificate(pem).subject.split("\n").some((line) => line.startsWith(marker)),
  );
  if (certs.length === 0)
    throw new Error(
      `rds-ca-g1.pem holds no Amazon RDS root CA for region '${region}'; refresh it from ${RDS_CA_SOURCE}`,
    );
  return `${certs.join("\n")}\n`;
}
