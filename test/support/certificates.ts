import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificate {
  pem: string;
  keyPem: string;
}

/**
 * A self-signed P-256 certificate made by openssl, valid from now for `days`: a CA (CA:TRUE) or a server certificate
 * (CA:FALSE).
 */
export function testCertificate(subject: string, kind: "ca" | "server", days = 30): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), "warbler-cert-"));
  try {
    const config = join(dir, "openssl.cnf");
    writeFileSync(
      config,
      "[req]\ndistinguished_name=dn\n[dn]\n[ext]\n" +
        `basicConstraints=critical,${kind === "ca" ? "CA:TRUE" : "CA:FALSE"}\n`,
    );
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        String(days),
        "-subj",
        subject,
        "-config",
        config,
        "-extensions",
        "ext",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "pipe" },
    );
    return { pem: readFileSync(join(dir, "cert.pem"), "utf8"), keyPem: readFileSync(join(dir, "key.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
