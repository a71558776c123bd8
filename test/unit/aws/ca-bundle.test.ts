import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { test } from "node:test";
import { rdsCaBundle, rdsCaCertificates } from "../../../components/aws/ca-bundle";
import { regions } from "../../../config/regions";

const certs = rdsCaCertificates().map((pem) => new X509Certificate(pem));
const cn = (c: X509Certificate) =>
  c.subject
    .split("\n")
    .find((l) => l.startsWith("CN="))
    ?.slice(3) ?? "";

test(
  "the shipped RDS CA file parses as X.509 certificates: self-signed Amazon RDS root CAs (regional, beta and " +
    "preview)",
  () => {
    assert.ok(certs.length >= regions.aws.length * 3, `${certs.length} certificates`);
    for (const c of certs) {
      assert.equal(c.ca, true, cn(c));
      assert.equal(c.subject, c.issuer, `${cn(c)} is a root`);
      assert.ok(c.verify(c.publicKey), `${cn(c)} carries a valid self-signature`);
      assert.match(c.subject, /^O=Amazon Web Services\\, Inc\.$/m);
      assert.match(cn(c), /^Amazon RDS ((Beta|Preview) )?[a-z0-9-]+ Root CA (RSA2048|RSA4096|ECC384) G1$/);
    }
  },
);

test(
  "every supported region has its RSA2048 (the kit's caCertIdentifier), RSA4096 and ECC384 G1 roots, valid " +
    "beyond 2040",
  () => {
    for (const region of regions.aws) {
      for (const kind of ["RSA2048", "RSA4096", "ECC384"]) {
        const c = certs.find((x) => cn(x) === `Amazon RDS ${region} Root CA ${kind} G1`);
        assert.ok(c, `${region} ${kind}`);
        assert.ok(new Date(c.validTo) > new Date("2040-01-01"), `${region} ${kind} expires ${c.validTo}`);
      }
    }
  },
);

test("a region's bundle holds exactly that region's three roots, as PEM", () => {
  const bundle = rdsCaBundle("eu-central-1");
  const pems = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  assert.equal(pems.length, 3);
  for (const pem of pems) assert.match(cn(new X509Certificate(pem)), /^Amazon RDS eu-central-1 Root CA /);
  assert.throws(() => rdsCaBundle("mars-north-1"), /no Amazon RDS root CA for region 'mars-north-1'/);
});
