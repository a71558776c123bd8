import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { type EjabberdSpec, type EjabberdSpecError, renderEjabberdConfig } from "../../../charts/im/ejabberd-config";
import { releaseAtLeast, sqlSchemaOptions, supportedRelease } from "../../../charts/im/ejabberd-releases";

/**
 * The renderer writes each option under the name the target release knows. Sources:
 * - `update_sql_schema`: "Since ejabberd 23.10, ejabberd can take care to create the tables automatically the first
 *   time it starts with an empty database, and also takes care to update the database schema" (docs.ejabberd.im,
 *   processone/docs.ejabberd.im content/tutorials/mysql.md, "Use automatic schema update"); 23.01 has no such
 *   option, and its config validator refuses unknown options.
 * - `new_sql_schema` became `sql_schema_multihost` in 25.10 (ChangeLog 25.10, hexdocs.pm/ejabberd/changelog.html:
 *   "Rename New SQL schema to Multihost"; processone/ejabberd src/ejabberd_config_transformer.erl maps the old name
 *   with `warn_replaced_option(new_sql_schema, sql_schema_multihost)`).
 * - mod_ping's options `send_pings`, `ping_interval`, `ping_ack_timeout` and `timeout_action` exist in every
 *   supported release (src/mod_ping_opt.erl, hex.pm ejabberd 21.12.0 and later); test/e2e/certificate-reload.test.ts
 *   starts Debian's 23.01 on the rendered local config, so 23.01 accepts them.
 */

const base = {
  domain: "chat.example.com",
  certFile: "/etc/warbler/tls/tls-combined.pem",
  secretsFile: "/etc/warbler/secrets/secrets.yml",
  admins: ["admin@chat.example.com"],
  adminCidrs: ["203.0.113.0/24"],
};
const cluster = (release?: string): EjabberdSpec => ({
  ...base,
  profile: "cluster",
  ...(release === undefined ? {} : { release }),
  sql: { host: "db.internal", port: 5432, database: "ejabberd", username: "ejabberd", tlsProxy: { port: 15432 } },
  uploads: { baseUrl: "https://upload.chat.example.com" },
});
const local: EjabberdSpec = {
  ...base,
  profile: "local",
  domain: "localhost",
  admins: ["admin@localhost"],
  adminCidrs: ["127.0.0.1/32"],
  sql: { host: "127.0.0.1", port: 5432, database: "ejabberd", username: "ejabberd" },
  uploads: { baseUrl: "http://127.0.0.1:5280/upload" },
};
const render = (spec: EjabberdSpec) => parse(renderEjabberdConfig(spec)) as Record<string, any>;

describe("ejabberd releases: the config names each option as the target release does", () => {
  it("orders releases as year and month", () => {
    assert.equal(releaseAtLeast("23.10", "23.04"), true);
    assert.equal(releaseAtLeast("23.01", "23.10"), false);
    assert.equal(releaseAtLeast("26.07", "25.10"), true);
    assert.deepEqual(["23.01", "26.07", "22.10", "v26", "26.7"].map(supportedRelease), [
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it("local profile (Debian's 23.01): new_sql_schema, and no update_sql_schema, which 23.01 does not know", () => {
    const config = render(local);
    assert.equal(config.new_sql_schema, true);
    assert.equal("update_sql_schema" in config, false);
    assert.equal("sql_schema_multihost" in config, false);
  });

  it("cluster profile at 26.07: sql_schema_multihost, update_sql_schema false (the role has data rights)", () => {
    const config = render(cluster("26.07"));
    assert.equal(config.sql_schema_multihost, true);
    assert.equal(config.update_sql_schema, false);
    assert.equal("new_sql_schema" in config, false);
  });

  it("a release between 23.10 and 25.10 keeps new_sql_schema and already has update_sql_schema", () => {
    assert.deepEqual(sqlSchemaOptions("24.12"), { new_sql_schema: true, update_sql_schema: false });
    assert.deepEqual(sqlSchemaOptions("23.01"), { new_sql_schema: true });
  });

  it("sends pings to every client and closes sessions that do not answer, in both profiles", () => {
    for (const spec of [local, cluster("26.07")]) {
      assert.deepEqual(render(spec).modules.mod_ping, {
        send_pings: true,
        ping_interval: 60,
        ping_ack_timeout: 32,
        timeout_action: "kill",
      });
    }
  });

  it("refuses a cluster spec without a release, and a release it cannot render for, naming the key", () => {
    assert.throws(
      () => renderEjabberdConfig(cluster()),
      (err: EjabberdSpecError) => {
        assert.match(err.message, /'release' \(undefined\) is required in the cluster profile/);
        return true;
      },
    );
    assert.throws(() => renderEjabberdConfig(cluster("22.10")), /'release' \("22\.10"\) must be an ejabberd release/);
    assert.throws(() => renderEjabberdConfig({ ...local, release: "latest" }), /'release' \("latest"\)/);
  });
});
