import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kitDescriptors } from "../../components/kits";
import { loadConfig } from "../../config/load";
import type { PlatformConfig } from "../../config/schema";
import { caBundleProblem } from "../../lib/ca-bundle";
import { testCertificate } from "../support/certificates";
import { configProblems, exampleRawConfig, withValue } from "../support/stack-config";

/**
 * The database CA bundle an operator supplies (warbler:database.caBundle, for
 * Alibaba's ApsaraDB): checked with real certificates made by openssl.
 */

const root = testCertificate("/CN=Test ApsaraDB Root", "ca");
const intermediate = testCertificate("/CN=Test ApsaraDB Intermediate", "ca");
const server = testCertificate("/CN=pgm-test.pg.rds.aliyuncs.com", "server");
const pem = { root: root.pem, secondRoot: intermediate.pem, leaf: server.pem, key: server.keyPem };

const withBundle = (stack: string, bundle: unknown) =>
  withValue(exampleRawConfig(stack), "warbler:database", ["caBundle"], bundle);

describe("the database CA bundle", () => {
  it("accepts one or more CA certificates, with blank lines or labels between them", () => {
    assert.equal(caBundleProblem(pem.root), undefined);
    assert.equal(caBundleProblem(`${pem.root}\n\n${pem.secondRoot}`), undefined);
    assert.equal(
      caBundleProblem(`# ApsaraDB root\nsubject=CN = Test ApsaraDB Root\n${pem.root}# intermediate\n${pem.secondRoot}`),
      undefined,
    );
  });

  it(
    "names what is wrong: no certificate, extra content, a broken block, a server certificate, an expired or " +
      "future one",
    () => {
      assert.match(caBundleProblem("")!, /must hold PEM CA certificates/);
      assert.match(caBundleProblem("ApsaraDB-CA-Chain.zip")!, /must hold PEM CA certificates/);
      assert.match(
        caBundleProblem(`${pem.root}${pem.key}`)!,
        /holds a PRIVATE KEY block; only CA certificates belong in a CA bundle/,
      );
      const broken = pem.secondRoot.replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!");
      assert.match(caBundleProblem(`${pem.root}${broken}`)!, /certificate 2 is not a valid X.509 certificate/);
      assert.match(
        caBundleProblem(pem.leaf)!,
        /certificate 1 \(CN=pgm-test\.pg\.rds\.aliyuncs\.com\) is not a CA certificate/,
      );
      const in60Days = new Date(Date.now() + 60 * 86_400_000);
      assert.match(
        caBundleProblem(`${pem.root}${pem.secondRoot}`, in60Days)!,
        new RegExp(
          /holds no certificate that is valid now: certificate 1 \(CN=Test ApsaraDB Root\) expired on .*; /.source +
            /certificate 2 \(CN=Test ApsaraDB Intermediate\) expired on /.source,
        ),
      );
      const yesterday = new Date(Date.now() - 86_400_000);
      assert.match(caBundleProblem(pem.root, yesterday)!, /certificate 1 .* is not valid before /);
    },
  );

  it("keeps a retired root beside a valid one: only a bundle with nothing valid is refused", () => {
    const expired = pem.root;
    const in60Days = new Date(Date.now() + 60 * 86_400_000);
    const successor = testCertificate("/CN=Test ApsaraDB Root G2", "ca", 365).pem;
    assert.equal(caBundleProblem(`${expired}${successor}`, in60Days), undefined);
  });

  it("is taken from the alicloud stack config", () => {
    const config = loadConfig(withBundle("alicloud", pem.root), { cloudRules: kitDescriptors }) as PlatformConfig;
    assert.equal(config.database.caBundle, pem.root);
    const without = loadConfig(exampleRawConfig("alicloud"), { cloudRules: kitDescriptors }) as PlatformConfig;
    assert.equal(without.database.caBundle, undefined);
  });

  it("is refused with the key named when it is not a CA bundle, or on a cloud whose kit ships its own", () => {
    assert.match(
      configProblems(withBundle("alicloud", pem.leaf)),
      /'warbler:database\.caBundle' \(.*\) certificate 1 .* is not a CA certificate/,
    );
    assert.match(
      configProblems(withBundle("aws", pem.root)),
      /'warbler:database\.caBundle' .*is for alicloud only: the aws kit ships its database CA bundle itself/,
    );
    assert.match(configProblems(withBundle("azure", pem.root)), /is for alicloud only: the azure kit/);
  });
});
