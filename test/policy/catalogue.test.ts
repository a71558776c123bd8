import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { catalogue, loadCatalogue } from "../../policies/catalogue";
import { severities, targets } from "../../policies/policy";
import { selectPolicies } from "../../policies/registry";
import { DOC, withSettings } from "../../policies/report/settings";
import { allFixtures } from "./fixtures";

const allPolicies = selectPolicies();

describe("the control catalogue", () => {
  it("holds every framework the issue names", () => {
    const ids = catalogue.frameworks.map((f) => f.id);
    for (const f of [
      "iso27001",
      "soc2",
      "pcidss",
      "gdpr",
      "cis-aws",
      "cis-azure",
      "cis-alicloud",
      "cis-kubernetes",
      "mlps",
    ])
      assert.ok(ids.includes(f), f);
  });

  it("covers GDPR articles 25, 32 and the transfer articles 44-49", () => {
    for (const id of ["GDPR-25", "GDPR-32", "GDPR-44", "GDPR-45", "GDPR-46", "GDPR-49"])
      assert.ok(catalogue.byId.has(id), id);
  });

  it("has only controls that at least one policy evidences", () => {
    const cited = new Set(allPolicies.flatMap((p) => p.controls));
    assert.deepEqual(
      [...catalogue.byId.keys()].filter((id) => !cited.has(id)),
      [],
    );
  });

  it("rejects a catalogue with a duplicate control id, naming it", () => {
    const path = join(__dirname, "fixtures", "bad-controls.json");
    assert.throws(() => loadCatalogue(path), /'X-1' appears twice/);
  });
});

describe("every policy", () => {
  it("has a unique id that starts with its target", () => {
    assert.equal(new Set(allPolicies.map((p) => p.id)).size, allPolicies.length);
    for (const p of allPolicies) {
      assert.ok(targets.includes(p.target), p.id);
      assert.match(p.id, new RegExp(`^${p.target}-[a-z0-9-]+$`), p.id);
    }
  });

  it("explains what it checks, why and how to fix it in sentences", () => {
    for (const p of allPolicies) {
      for (const key of ["what", "why", "fix"] as const) {
        assert.ok(p[key].length >= 40 && /[.)]$/.test(p[key]), `${p.id}.${key} must be a full sentence: ${p[key]}`);
      }
      assert.ok(p.name.length > 10, p.id);
    }
  });

  it("cites only catalogue controls, including ISO 27001, SOC 2 and MLPS 2.0", () => {
    for (const p of allPolicies) {
      const unknown = p.controls.filter((c) => !catalogue.byId.has(c));
      assert.deepEqual(unknown, [], `${p.id} cites unknown controls`);
      const frameworks = new Set(p.controls.map((c) => catalogue.byId.get(c)!.framework.id));
      for (const f of ["iso27001", "soc2", "mlps"]) assert.ok(frameworks.has(f), `${p.id} cites no ${f} control`);
    }
  });

  it(
    "has a severity, a default enforcement, and is mandatory " + "when it guards encryption, TLS, exposure or secrets",
    () => {
      const guards = new RegExp(
        /encryption|tls|public|private-endpoint|secrets|privileged/.source +
          "|" +
          /host-namespaces|keys-in-stack|ingress|controls-attached/.source,
      );
      for (const p of allPolicies) {
        assert.ok(severities.includes(p.severity), p.id);
        assert.ok(["mandatory", "advisory"].includes(p.enforcementLevel), p.id);
        if (guards.test(p.id) && !/encryption-at-host/.test(p.id)) assert.equal(p.enforcementLevel, "mandatory", p.id);
      }
    },
  );

  it("gives every config setting a default and a description, and never configures enforcementLevel", () => {
    for (const p of allPolicies) {
      for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
        assert.notEqual(key, "enforcementLevel", p.id);
        assert.ok(schema.default !== undefined && typeof schema.description === "string", `${p.id}.${key}`);
      }
    }
  });

  it("has a compliant fixture and at least one violating case", () => {
    for (const p of allPolicies) {
      const f = allFixtures.find((x) => x.policy === p.id);
      assert.ok(f, `${p.id} has no fixture`);
      assert.ok(f.compliant.length > 0 && f.cases.some((c) => c.violates !== false), `${p.id} needs a violating case`);
    }
    assert.deepEqual(
      allFixtures.map((f) => f.policy).filter((id) => !allPolicies.some((p) => p.id === id)),
      [],
    );
  });
});

describe("docs/compliance.md", () => {
  it("lists every policy setting exactly as the code defines it", () => {
    const doc = readFileSync(DOC, "utf8");
    assert.equal(doc, withSettings(doc), "regenerate with: node --import tsx policies/report/settings.ts --write");
  });
});
