import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { type AliasContext, createUrn, resolveAliases } from "../../../plan/aliases";
import { type RecordedProgram, recordProgram } from "../../../plan/record";
import { checkUrnPins, describeUrnPinReport, keepsPin } from "../../../plan/urn-pins";

const ctx = {
  project: "warbler",
  stack: "dev",
  region: "eu-west-1",
  accountId: "123456789012",
  subscriptionId: "00000000-0000-4000-8000-000000000001",
};
const urn = (qualifiedType: string, name: string) => `urn:pulumi:dev::warbler::${qualifiedType}::${name}`;

/** A custom resource of any type; the mocks give it its inputs back as state. */
class Thing extends pulumi.CustomResource {
  constructor(type: string, name: string, opts?: pulumi.CustomResourceOptions) {
    super(type, name, {}, opts);
  }
}

/** A component of any type, finished by its creator. */
class Group extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
  }
  done(): void {
    this.registerOutputs({});
  }
}

/** A component with a custom child and a child component that has a custom child of its own. */
class Gateway extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    new Thing("test:index:Address", `${name}-address`, { parent: this });
    const route = new Group("test:index:Route", `${name}-route`, { parent: this });
    new Thing("test:index:Rule", `${name}-route-rule`, { parent: route });
    route.done();
    this.registerOutputs({});
  }
}

const OLD = {
  gateway: urn("test:index:Gateway", "edge"),
  address: urn("test:index:Gateway$test:index:Address", "edge-address"),
  route: urn("test:index:Gateway$test:index:Route", "edge-route"),
  rule: urn("test:index:Route$test:index:Rule", "edge-route-rule"),
};
const OLD_GATEWAY = Object.values(OLD).sort();

/** Runs one program under the offline plan's mocks. Registrations are sequential, so one process can record several. */
const record = (program: () => undefined): Promise<RecordedProgram> => recordProgram(program, ctx, []);
const urnsOf = (recorded: RecordedProgram) => recorded.resources.map((r) => r.urn);

describe("aliases in the offline plan", () => {
  it("records the URNs of the program as it was: the pin the changes below are checked against", async () => {
    const before = await record(() => void new Gateway("test:index:Gateway", "edge"));
    assert.deepEqual(urnsOf(before), OLD_GATEWAY);
    for (const r of before.resources) assert.equal(r.aliases, undefined, `${r.urn} declares no alias`);
  });

  it(
    "accepts a component whose type changed when it declares an " + "alias to the old type; its children inherit it",
    async () => {
      const after = await record(
        () => void new Gateway("test:network:Gateway", "edge", { aliases: [{ type: "test:index:Gateway" }] }),
      );
      const gateway = after.resources.find((r) => r.name === "edge");
      assert.deepEqual(gateway?.aliases, [OLD.gateway]);
      const report = checkUrnPins(OLD_GATEWAY, after.resources);
      assert.ok(keepsPin(report), describeUrnPinReport("dev", report, "-"));
      assert.deepEqual(report.aliased, {
        [OLD.gateway]: urn("test:network:Gateway", "edge"),
        [OLD.address]: urn("test:network:Gateway$test:index:Address", "edge-address"),
        [OLD.route]: urn("test:network:Gateway$test:index:Route", "edge-route"),
      });
    },
  );

  it("rejects the same type change without an alias, naming every URN that would be deleted and created", async () => {
    const after = await record(() => void new Gateway("test:network:Gateway", "edge"));
    const report = checkUrnPins(OLD_GATEWAY, after.resources);
    assert.equal(keepsPin(report), false);
    // The grandchild keeps its URN: the mock qualifies a type by the parent's own type only (plan/aliases.ts).
    assert.deepEqual(report.missing, [OLD.gateway, OLD.address, OLD.route].sort());
    assert.deepEqual(
      report.added,
      [
        urn("test:network:Gateway", "edge"),
        urn("test:network:Gateway$test:index:Address", "edge-address"),
        urn("test:network:Gateway$test:index:Route", "edge-route"),
      ].sort(),
    );
    const message = describeUrnPinReport("dev", report, "UPDATE_URN_PINS=1 …");
    for (const u of report.missing) assert.ok(message.includes(u), `the message names ${u}`);
    assert.match(message, /add `aliases`/);
    assert.match(message, /UPDATE_URN_PINS=1/);
  });

  it(
    "accepts a renamed component with an alias to its old name: children named after it inherit the old prefix, " +
      "grandchildren too",
    async () => {
      const after = await record(
        () => void new Gateway("test:index:Gateway", "gateway", { aliases: [{ name: "edge" }] }),
      );
      const report = checkUrnPins(OLD_GATEWAY, after.resources);
      assert.ok(keepsPin(report), describeUrnPinReport("dev", report, "-"));
      assert.equal(report.aliased[OLD.rule], urn("test:index:Route$test:index:Rule", "gateway-route-rule"));
    },
  );

  it(
    "accepts a resource moved under a component when its alias says it had no parent, and rejects the move " +
      "without it",
    async () => {
      const before = await record(() => void new Thing("test:index:Address", "solo"));
      const pin = urnsOf(before);
      const moved = (aliases?: pulumi.Alias[]) =>
        record(() => {
          const site = new Group("test:index:Site", "site");
          new Thing("test:index:Address", "solo", { parent: site, aliases });
          site.done();
        });
      const withAlias = checkUrnPins(pin, (await moved([{ parent: undefined }])).resources);
      assert.deepEqual(withAlias.aliased, { [pin[0]]: urn("test:index:Site$test:index:Address", "solo") });
      assert.deepEqual(withAlias.missing, []);
      const without = checkUrnPins(pin, (await moved()).resources);
      assert.deepEqual(without.missing, pin);
    },
  );
});

describe("resolveAliases", () => {
  const parentAliases: Record<string, string[]> = { [urn("a:b:New", "web")]: [urn("a:b:Old", "site")] };
  const aliasCtx: AliasContext = { project: "warbler", stack: "dev", aliasesOf: (u) => parentAliases[u] ?? [] };
  const table: { name: string; reg: Parameters<typeof resolveAliases>[0]; expected: string[] }[] = [
    {
      name: "no alias, no aliased parent: nothing",
      reg: { type: "a:b:C", name: "x", parent: "", aliases: [] },
      expected: [],
    },
    {
      name: "a whole URN is taken as it is",
      reg: { type: "a:b:C", name: "x", parent: "", aliases: [{ urn: "urn:pulumi:dev::warbler::a:b:D::y" }] },
      expected: ["urn:pulumi:dev::warbler::a:b:D::y"],
    },
    {
      name: "an empty spec field defaults to the resource's",
      reg: { type: "a:b:C", name: "x", parent: "", aliases: [{ name: "old-x" }] },
      expected: [urn("a:b:C", "old-x")],
    },
    {
      name: "another stack or project",
      reg: { type: "a:b:C", name: "x", parent: "", aliases: [{ stack: "prod", project: "other" }] },
      expected: ["urn:pulumi:prod::other::a:b:C::x"],
    },
    {
      name: "a child of an aliased parent: its old URN under the old parent, with the parent's old name as prefix",
      reg: { type: "a:b:Leaf", name: "web-leaf", parent: urn("a:b:New", "web"), aliases: [] },
      expected: [urn("a:b:Old$a:b:Leaf", "site-leaf")],
    },
    {
      name: "a child not named after its aliased parent keeps its name",
      reg: { type: "a:b:Leaf", name: "leaf", parent: urn("a:b:New", "web"), aliases: [] },
      expected: [urn("a:b:Old$a:b:Leaf", "leaf")],
    },
    {
      name: "a child's own alias under its parent, under the parent's alias, and inherited",
      reg: {
        type: "a:b:Leaf",
        name: "web-leaf",
        parent: urn("a:b:New", "web"),
        aliases: [{ type: "a:b:OldLeaf", parentUrn: urn("a:b:New", "web") }],
      },
      expected: [
        urn("a:b:New$a:b:OldLeaf", "web-leaf"),
        urn("a:b:Old$a:b:OldLeaf", "web-leaf"),
        urn("a:b:Old$a:b:Leaf", "site-leaf"),
        urn("a:b:Old$a:b:OldLeaf", "site-leaf"),
      ],
    },
    {
      name: "an alias to the resource's own URN is dropped",
      reg: { type: "a:b:C", name: "x", parent: "", aliases: [{ name: "x" }] },
      expected: [],
    },
  ];
  for (const row of table) {
    it(row.name, () => assert.deepEqual(resolveAliases(row.reg, aliasCtx), row.expected));
  }

  it("builds URNs as the mock monitor does: a child's type is qualified by its parent's own type only", () => {
    assert.equal(
      createUrn("n", "a:b:Leaf", urn("a:b:Top$a:b:Mid", "m"), "warbler", "dev"),
      urn("a:b:Mid$a:b:Leaf", "n"),
    );
  });
});

describe("checkUrnPins", () => {
  const [a, b, c] = [urn("t:i:A", "a"), urn("t:i:B", "b"), urn("t:i:C", "c")];
  it("keeps a pin planned exactly", () => {
    assert.deepEqual(checkUrnPins([a, b], [{ urn: b }, { urn: a }]), {
      missing: [],
      added: [],
      aliased: {},
      contested: {},
    });
  });
  it("lets a resource whose URN is pinned keep it, without taking over what its aliases name", () => {
    const report = checkUrnPins([a, b], [{ urn: a, aliases: [b] }]);
    assert.deepEqual(report.missing, [b]);
  });
  it("takes the first pinned alias only: one resource replaces one old resource", () => {
    const report = checkUrnPins([a, b], [{ urn: c, aliases: [a, b] }]);
    assert.deepEqual(report.aliased, { [a]: c });
    assert.deepEqual(report.missing, [b]);
  });
  it("calls an old URN taken by two resources, or aliased while still planned, contested", () => {
    assert.deepEqual(
      checkUrnPins(
        [a],
        [
          { urn: b, aliases: [a] },
          { urn: c, aliases: [a] },
        ],
      ).contested,
      { [a]: [b, c] },
    );
    const stillPlanned = checkUrnPins([a], [{ urn: a }, { urn: b, aliases: [a] }]);
    assert.deepEqual(stillPlanned.contested, { [a]: [a, b] });
    assert.equal(keepsPin(stillPlanned), false);
  });
});
