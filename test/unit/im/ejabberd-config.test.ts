import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import {
  type EjabberdSpec,
  EjabberdSpecError,
  renderEjabberdConfig,
  renderEjabberdSecrets,
  secretMacros,
  tlsCiphers,
} from "../../../charts/im/ejabberd-config";

const cluster: EjabberdSpec = {
  profile: "cluster",
  domain: "chat.example.com",
  certFile: "/etc/ejabberd/tls/tls.pem",
  secretsFile: "/etc/ejabberd/secrets/secrets.yml",
  sql: {
    host: "db.internal",
    port: 5432,
    database: "ejabberd",
    username: "warbler",
    caFile: "/etc/ejabberd/db-ca/ca.pem",
  },
  admins: ["admin@chat.example.com"],
  adminCidrs: ["203.0.113.0/24"],
  trustedProxies: ["172.16.0.0/16"],
  uploads: { kind: "s3", bucketUrl: "https://chat.example.com/files/bucket", region: "eu-west-1" },
  turn: { host: "turn.chat.example.com" },
};

const local: EjabberdSpec = {
  profile: "local",
  domain: "localhost",
  ports: { c2s: 30222, c2sTls: 30223, http: 30280 },
  certFile: "/tmp/x/server.pem",
  secretsFile: "/tmp/x/secrets.yml",
  sql: { host: "127.0.0.1", port: 30432, database: "ejabberd", username: "ejabberd" },
  admins: ["admin@localhost"],
  adminCidrs: ["127.0.0.1/32"],
  uploads: { kind: "directory", directory: "/tmp/x/upload", baseUrl: "http://127.0.0.1:30280" },
};

type Listener = Record<string, any> & { port: number };
const render = (spec: EjabberdSpec) => parse(renderEjabberdConfig(spec)) as Record<string, any>;
const listener = (config: Record<string, any>, port: number) =>
  (config.listen as Listener[]).find((l) => l.port === port)!;

describe("renderEjabberdConfig: settings both profiles share", () => {
  for (const [name, spec] of [
    ["cluster", cluster],
    ["local", local],
  ] as const) {
    const config = render(spec);
    const ports = { c2s: 5222, c2sTls: 5223, http: 5280, ...spec.ports };

    it(`${name}: STARTTLS is required on the c2s port and the second c2s port is direct TLS`, () => {
      assert.equal(listener(config, ports.c2s).starttls_required, true);
      assert.equal(listener(config, ports.c2sTls).tls, true);
      assert.equal(listener(config, ports.c2sTls).module, "ejabberd_c2s");
    });

    it(`${name}: client TLS is 1.2+ with forward-secret AEAD ciphers only`, () => {
      for (const off of ["no_sslv3", "no_tlsv1", "no_tlsv1_1"])
        assert.ok(config.c2s_protocol_options.includes(off), off);
      assert.equal(config.c2s_ciphers, tlsCiphers);
      assert.doesNotMatch(config.c2s_ciphers, /CBC|RC4|3DES|SHA:|NULL/);
    });

    it(`${name}: passwords are stored as SCRAM hashes in PostgreSQL with the new schema`, () => {
      assert.equal(config.auth_password_format, "scram");
      assert.deepEqual(config.auth_method, ["sql"]);
      assert.equal(config.sql_type, "pgsql");
      assert.equal(config.new_sql_schema, true);
      assert.equal(config.default_db, "sql");
    });

    it(`${name}: the SQL password is a macro from the 0640 include file, which may define macros only`, () => {
      assert.equal(config.sql_password, secretMacros.sqlPassword);
      assert.deepEqual(config.include_config_file, { [spec.secretsFile]: { allow_only: ["define_macro"] } });
      assert.match(
        renderEjabberdConfig(spec),
        new RegExp(`sql_password: ${secretMacros.sqlPassword}\\n`),
        "macro must be a plain scalar",
      );
    });

    it(`${name}: /api is open only to administrators from the allowed networks, both at once`, () => {
      const permissions = Object.values(config.api_permissions) as { who: { access: string }; what: string[] }[];
      assert.equal(permissions.length, 1);
      const rule = config.access_rules[permissions[0].who.access];
      assert.deepEqual(rule, { allow: [{ acl: "admin" }, { acl: "admin_network" }] });
      assert.deepEqual(config.acl.admin.user, spec.admins);
      assert.deepEqual(config.acl.admin_network.ip, spec.adminCidrs);
      assert.ok(permissions[0].what.includes("!stop"));
    });

    it(`${name}: the web admin (configure) is for administrators only`, () => {
      assert.deepEqual(config.access_rules.configure, { allow: "admin" });
    });

    it(`${name}: nobody can create an account in-band by default`, () => {
      assert.equal(config.modules.mod_register.access, "none");
    });

    it(`${name}: every module the issue lists is enabled, with the archive in SQL`, () => {
      for (const mod of [
        "mod_roster",
        "mod_offline",
        "mod_vcard",
        "mod_muc",
        "mod_mam",
        "mod_stream_mgmt",
        "mod_push",
        "mod_stun_disco",
        "mod_http_api",
      ]) {
        assert.ok(mod in config.modules, mod);
      }
      assert.equal(config.modules.mod_mam.db_type, "sql");
      assert.equal(config.modules.mod_mam.default, "always");
    });

    it(`${name}: listeners keep a 1024 backlog so login bursts are not dropped`, () => {
      for (const l of config.listen as Listener[]) assert.equal(l.backlog, 1024, `port ${l.port}`);
    });

    it(`${name}: the HTTP listener routes /ws, /api and /admin`, () => {
      const handlers = listener(config, ports.http).request_handlers as Record<string, string>;
      assert.equal(handlers["/ws"], "ejabberd_http_ws");
      assert.equal(handlers["/api"], "mod_http_api");
      assert.equal(handlers["/admin"], "ejabberd_web_admin");
    });
  }
});

describe("renderEjabberdConfig: cluster profile", () => {
  const config = render(cluster);

  it("connects to PostgreSQL over TLS and verifies the server against the kit's CA bundle", () => {
    assert.equal(config.sql_ssl, true);
    assert.equal(config.sql_ssl_verify, true);
    assert.equal(config.sql_ssl_cafile, cluster.sql.caFile);
  });

  it("listens on all interfaces on the standard ports", () => {
    assert.deepEqual(
      (config.listen as Listener[]).map((l) => [l.ip, l.port]),
      [
        ["0.0.0.0", 5222],
        ["0.0.0.0", 5223],
        ["0.0.0.0", 5280],
      ],
    );
  });

  it("puts uploads in the bucket through mod_s3_upload, signed with macro credentials, never public", () => {
    assert.equal(config.modules.mod_http_upload, undefined);
    const s3 = config.modules.mod_s3_upload;
    assert.equal(s3.bucket_url, "https://chat.example.com/files/bucket");
    assert.equal(s3.access_key_id, secretMacros.s3AccessKeyId);
    assert.equal(s3.access_key_secret, secretMacros.s3SecretAccessKey);
    assert.equal(s3.set_public, false);
    assert.equal(listener(config, 5280).request_handlers["/upload"], undefined);
  });

  it("announces TURN with credentials derived from the shared secret macro", () => {
    const stun = config.modules.mod_stun_disco;
    assert.equal(stun.secret, secretMacros.turnSecret);
    assert.deepEqual(stun.services, [
      { host: "turn.chat.example.com", port: 3478, type: "turn", transport: "udp", restricted: true },
    ]);
  });

  it("trusts X-Forwarded-For only from the ingress proxies", () => {
    assert.deepEqual(config.trusted_proxies, ["172.16.0.0/16"]);
  });

  it(
    "refuses a cluster spec without the database CA, with a directory for uploads, or open to the world, " +
      "listing every problem",
    () => {
      const bad: EjabberdSpec = {
        ...cluster,
        sql: { ...cluster.sql, caFile: undefined },
        uploads: { kind: "directory", directory: "/x", baseUrl: "http://x" },
        adminCidrs: ["0.0.0.0/0", "10.0.0.1/8"],
        admins: ["root@elsewhere.org"],
        ports: { c2s: 5222, c2sTls: 5222 },
      };
      assert.throws(
        () => renderEjabberdConfig(bad),
        (err: unknown) => {
          assert.ok(err instanceof EjabberdSpecError);
          const text = err.problems.join("\n");
          for (const key of [
            "'sql.caFile'",
            "'uploads.kind'",
            "'adminCidrs[0]' (\"0.0.0.0/0\")",
            "'adminCidrs[1]' (\"10.0.0.1/8\") has host bits set",
            "'admins[0]'",
            "'ports'",
          ]) {
            assert.ok(text.includes(key), `expected a problem naming ${key} in:\n${text}`);
          }
          return true;
        },
      );
    },
  );
});

describe("renderEjabberdConfig: local profile", () => {
  const config = render(local);

  it("binds loopback only and uses no TLS to the private PostgreSQL", () => {
    for (const l of config.listen as Listener[]) assert.equal(l.ip, "127.0.0.1");
    assert.equal(config.sql_ssl, undefined);
  });

  it("stores uploads in the local directory and hands out URLs on the host clients use", () => {
    const upload = config.modules.mod_http_upload;
    assert.equal(upload.docroot, "/tmp/x/upload");
    assert.equal(upload.put_url, "http://127.0.0.1:30280/upload");
    assert.equal(listener(config, 30280).request_handlers["/upload"], "mod_http_upload");
  });

  it("announces no TURN service when none is given", () => {
    assert.deepEqual(config.modules.mod_stun_disco, {});
  });

  it("refuses an administrator that is not one bare JID on the domain, naming each", () => {
    const admins = ["@localhost", "a@b@localhost", "admin/phone@localhost", "admin@localhost/phone", "admin@localhost"];
    assert.throws(
      () => renderEjabberdConfig({ ...local, admins }),
      (err: unknown) => {
        assert.ok(err instanceof EjabberdSpecError);
        assert.deepEqual(
          err.problems.map((p) => /^'(admins\[\d\])'/.exec(p)?.[1]),
          ["admins[0]", "admins[1]", "admins[2]", "admins[3]"],
        );
        return true;
      },
    );
  });

  it("open registration is an explicit opt-in", () => {
    assert.equal(render({ ...local, openRegistration: true }).modules.mod_register.access, "all");
  });
});

describe("renderEjabberdSecrets", () => {
  it("defines every given secret as a macro and the config text contains none of them", () => {
    const secrets = {
      sqlPassword: "s3cr3t-db",
      turnSecret: "s3cr3t-turn",
      s3AccessKeyId: "AKIDEXAMPLE",
      s3SecretAccessKey: "s3cr3t-s3",
    };
    const file = parse(renderEjabberdSecrets(cluster, secrets));
    assert.deepEqual(file, {
      define_macro: {
        WARBLER_SQL_PASSWORD: "s3cr3t-db",
        WARBLER_TURN_SECRET: "s3cr3t-turn",
        WARBLER_S3_ACCESS_KEY_ID: "AKIDEXAMPLE",
        WARBLER_S3_SECRET_ACCESS_KEY: "s3cr3t-s3",
      },
    });
    const text = renderEjabberdConfig(cluster);
    for (const value of Object.values(secrets)) assert.ok(!text.includes(value), value);
  });

  it("refuses to leave out a secret the spec needs", () => {
    const oneS3Key = { sqlPassword: "x", s3SecretAccessKey: "s3cr3t" };
    assert.throws(
      () => renderEjabberdSecrets(cluster, oneS3Key),
      (err: unknown) => {
        assert.ok(err instanceof EjabberdSpecError);
        assert.deepEqual(err.problems, [
          "'turnSecret' (undefined) is required: 'turn' is set, so ejabberd and the TURN server need a shared secret",
          `'s3AccessKeyId' (undefined) is required for uploads.kind "s3"`,
        ]);
        assert.doesNotMatch(err.message, /s3cr3t/, "a secret that is set never reaches the message");
        return true;
      },
    );
    assert.throws(() => renderEjabberdSecrets(local, { sqlPassword: "" }), /'sqlPassword' \(""\) must not be empty/);
  });

  it("quotes values so a password with YAML syntax stays one string", () => {
    const tricky = 'a: "b" # c\n- d';
    assert.equal(
      parse(renderEjabberdSecrets(local, { sqlPassword: tricky })).define_macro.WARBLER_SQL_PASSWORD,
      tricky,
    );
  });
});
