import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The PEM file shipped next to this one; its header names the official source of each root. */
export const postgresCaBundlePath = join(__dirname, "postgres-ca-bundle.pem");

/**
 * The root CAs of Azure Database for PostgreSQL Flexible Server, as PEM blocks
 * only: the file's explanatory lines are dropped, since some PEM readers
 * (Erlang's among them, which ejabberd uses) are stricter than OpenSSL.
 */
export function postgresCaBundle(): string {
  const text = readFileSync(postgresCaBundlePath, "utf8");
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${postgresCaBundlePath} holds no certificate`);
  return `${blocks.join("\n")}\n`;
}
