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
  release: "26.07",
  domain: "chat.example.com",
  certFile: "/etc/ejabberd/tls/tls.pem",
  secretsFile: "/etc/ejabberd/secrets/secrets.yml",
  sql: {
    host: "db.internal",
    port: 5432,
    database: "ejabberd",
    username: "warbler",
    tlsProxy: { port: 15432 },
  },
  admins: ["admin@chat.example.com"],
  adminCidrs: ["203.0.113.0/24"],
  uploads: { baseUrl: "https://upload.chat.example.com" },
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
  uploads: { baseUrl: "http://127.0.0.1:30380", maxFileSize: 1_048_576 },
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
      // The multi-host schema, under the name of the spec's release (test/unit/im/ejabberd-releases.test.ts).
      assert.equal(config.new_sql_schema ?? config.sql_schema_multihost, true);
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

  // ejabberd's own TLS checks the certificate against the peer's address, so sql_ssl_verify fails on every managed
  // database (processone/ejabberd#4180; test/e2e/database-roles.test.ts). The sidecar verifies the host name instead
  // (test/e2e/sql-tls-proxy.test.ts), and ejabberd speaks plain PostgreSQL to it, on loopback only.
  it("connects to PostgreSQL through the TLS proxy on loopback, without ejabberd's own TLS", () => {
    assert.equal(config.sql_server, "127.0.0.1");
    assert.equal(config.sql_port, 15432);
    assert.equal(config.sql_ssl, false);
    assert.equal(config.sql_ssl_verify, undefined);
    assert.equal(config.sql_ssl_cafile, undefined);
  });

  it("refuses a cluster spec without the TLS proxy, and a plaintext connection to any host but loopback", () => {
    const noProxy = { ...cluster, sql: { ...cluster.sql, tlsProxy: undefined } };
    const problems = (spec: EjabberdSpec) => {
      try {
        renderEjabberdConfig(spec);
        return "";
      } catch (err) {
        assert.ok(err instanceof EjabberdSpecError);
        return err.problems.join("\n");
      }
    };
    const text = problems(noProxy);
    assert.match(text, /'sql\.tlsProxy' \(undefined\) is required in the cluster profile.*ejabberd#4180/);
    assert.match(text, /'sql\.host' \("db\.internal"\) must be 127\.0\.0\.1 or localhost without sql\.tlsProxy/);
    // The local profile may go without TLS only to loopback.
    assert.match(problems({ ...local, sql: { ...local.sql, host: "db.internal" } }), /'sql\.host' \("db\.internal"\)/);
    assert.match(
      problems({ ...cluster, sql: { ...cluster.sql, tlsProxy: { port: 5280 } } }),
      /'sql\.tlsProxy\.port' \(5280\) must differ from ejabberd's own listener ports/,
    );
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

  it("hands out upload slots for the upload service, signed with the macro secret; ejabberd serves no files", () => {
    const upload = config.modules.mod_http_upload;
    // external_secret: ejabberd signs each PUT URL with an HMAC and leaves the PUT and GET to another service
    // (https://docs.ejabberd.im/admin/configuration/modules/#mod_http_upload).
    assert.equal(upload.external_secret, secretMacros.uploadSecret);
    assert.equal(upload.put_url, "https://upload.chat.example.com");
    assert.equal(upload.get_url, "https://upload.chat.example.com");
    assert.equal(upload.max_size, 104_857_600);
    assert.equal(config.modules.mod_s3_upload, undefined);
    assert.equal(listener(config, 5280).request_handlers["/upload"], undefined);
  });

  it("announces TURN with credentials derived from the shared secret macro", () => {
    const stun = config.modules.mod_stun_disco;
    assert.equal(stun.secret, secretMacros.turnSecret);
    assert.deepEqual(stun.services, [
      { host: "turn.chat.example.com", port: 3478, type: "turn", transport: "udp", restricted: true },
    ]);
  });

  // Any pod could forge X-Forwarded-For (test/e2e/forwarded-for.test.ts): ejabberd believes no proxy header.
  it("trusts no proxy's X-Forwarded-For", () => {
    assert.equal(config.trusted_proxies, undefined);
  });

  it(
    "refuses a cluster spec without the database TLS proxy, with plain-HTTP uploads, or open to the world, " +
      "listing every problem",
    () => {
      const bad: EjabberdSpec = {
        ...cluster,
        sql: { ...cluster.sql, tlsProxy: undefined },
        uploads: { baseUrl: "http://upload.chat.example.com" },
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
            "'sql.tlsProxy'",
            "'uploads.baseUrl' (\"http://upload.chat.example.com\") must be https",
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

  it("hands out slots for the local upload service, with the same module and secret as the cluster", () => {
    const upload = config.modules.mod_http_upload;
    assert.equal(upload.put_url, "http://127.0.0.1:30380");
    assert.equal(upload.external_secret, secretMacros.uploadSecret);
    assert.equal(upload.max_size, 1_048_576);
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
      uploadSecret: "s3cr3t-upload",
    };
    const file = parse(renderEjabberdSecrets(cluster, secrets));
    assert.deepEqual(file, {
      define_macro: {
        WARBLER_SQL_PASSWORD: "s3cr3t-db",
        WARBLER_TURN_SECRET: "s3cr3t-turn",
        WARBLER_UPLOAD_SECRET: "s3cr3t-upload",
      },
    });
    const text = renderEjabberdConfig(cluster);
    for (const value of Object.values(secrets)) assert.ok(!text.includes(value), value);
  });

  it("refuses to leave out a secret the spec needs", () => {
    const noTurn = { sqlPassword: "s3cr3t", uploadSecret: "" };
    assert.throws(
      () => renderEjabberdSecrets(cluster, noTurn),
      (err: unknown) => {
        assert.ok(err instanceof EjabberdSpecError);
        assert.deepEqual(err.problems, [
          "'turnSecret' (undefined) is required: 'turn' is set, so ejabberd and the TURN server need a shared secret",
          `'uploadSecret' ("") must not be empty; upload slots are signed with it`,
        ]);
        assert.doesNotMatch(err.message, /s3cr3t/, "a secret that is set never reaches the message");
        return true;
      },
    );
    assert.throws(
      () => renderEjabberdSecrets(local, { sqlPassword: "", uploadSecret: "x" }),
      /'sqlPassword' \(""\) must not be empty/,
    );
  });

  it("quotes values so a password with YAML syntax stays one string", () => {
    const tricky = 'a: "b" # c\n- d';
    assert.equal(
      parse(renderEjabberdSecrets(local, { sqlPassword: tricky, uploadSecret: "x" })).define_macro.WARBLER_SQL_PASSWORD,
      tricky,
    );
  });
});
