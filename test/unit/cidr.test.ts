import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  cidrProblem,
  contains,
  formatCidr,
  overlaps,
  parseCidr,
  planGatewaySubnet,
  planZoneSubnets,
  subnet,
} from "../../lib/cidr";

const arbCidr = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 28 }))
  .map(([addr, prefix]) => formatCidr({ base: addr - (addr % 2 ** (32 - prefix)), prefix }));

describe("CIDR arithmetic", () => {
  it("parses and formats valid ranges, and names what is wrong with bad ones", () => {
    const table: [string, RegExp | undefined][] = [
      ["10.20.0.0/16", undefined],
      ["0.0.0.0/0", undefined],
      ["10.20.0.0", /CIDR notation/],
      ["10.256.0.0/16", /octet above 255/],
      ["10.20.0.0/33", /prefix length above 32/],
      ["10.20.3.0/16", /host bits set; the network address is 10\.20\.0\.0\/16/],
    ];
    for (const [text, problem] of table) {
      const found = cidrProblem(text);
      if (problem) assert.match(found ?? "", problem, text);
      else assert.equal(found, undefined, text);
    }
  });

  it("round-trips every network range through parse and format", () => {
    fc.assert(fc.property(arbCidr, (text) => formatCidr(parseCidr(text)!) === text));
  });

  it("treats overlap as symmetric and containment as overlap", () => {
    fc.assert(
      fc.property(arbCidr, arbCidr, (a, b) => {
        const pa = parseCidr(a)!;
        const pb = parseCidr(b)!;
        assert.equal(overlaps(pa, pb), overlaps(pb, pa));
        if (contains(pa, pb)) assert.ok(overlaps(pa, pb));
      }),
    );
  });

  it("refuses a subnet block that does not fit, naming the argument, its value and what fits", () => {
    const network = parseCidr("10.0.0.0/16")!;
    assert.throws(() => subnet(network, 18, 4), {
      message: "'index' (4) must be 0 to 3: 10.0.0.0/16 holds 4 blocks of /18",
    });
    assert.throws(() => subnet(network, 15, 0), { message: "'newPrefix' (15) must be 16 to 32 inside 10.0.0.0/16" });
  });
});

describe("zone subnet layout shared by every kit", () => {
  it("lays out the documented blocks for a /16 over three zones", () => {
    assert.deepEqual(planZoneSubnets("10.20.0.0/16", 3), [
      { zoneIndex: 0, private: "10.20.0.0/19", database: "10.20.128.0/20", public: "10.20.192.0/20" },
      { zoneIndex: 1, private: "10.20.32.0/19", database: "10.20.144.0/20", public: "10.20.208.0/20" },
      { zoneIndex: 2, private: "10.20.64.0/19", database: "10.20.160.0/20", public: "10.20.224.0/20" },
    ]);
    assert.equal(planGatewaySubnet("10.20.0.0/16"), "10.20.240.0/20");
  });

  it("gives disjoint subnets inside the network, never touching the gateway block", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 20 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 1, max: 3 }),
        (prefix, second, zones) => {
          const network = formatCidr({ base: (10 * 256 + second) * 65536, prefix });
          const parent = parseCidr(network)!;
          const blocks = planZoneSubnets(network, zones)
            .flatMap((z) => [z.private, z.database, z.public])
            .map((c) => parseCidr(c)!);
          blocks.push(parseCidr(planGatewaySubnet(network))!);
          for (const [i, a] of blocks.entries()) {
            assert.ok(contains(parent, a));
            for (const b of blocks.slice(i + 1))
              assert.ok(!overlaps(a, b), `${formatCidr(a)} overlaps ${formatCidr(b)}`);
          }
        },
      ),
    );
  });

  it("rejects a zone count the layout cannot hold, and a bad network with it, in one error", () => {
    const zones = { name: "RangeError", message: "'zones' (4) must be 1 to 3" };
    assert.throws(() => planZoneSubnets("10.20.0.0/16", 4), zones);
    assert.throws(() => planZoneSubnets("10.20.3.0/16", 0), {
      message: [
        "invalid arguments:",
        `  - 'networkCidr' ("10.20.3.0/16") has host bits set; the network address is 10.20.0.0/16`,
        "  - 'zones' (0) must be 1 to 3",
      ].join("\n"),
    });
    assert.throws(() => planGatewaySubnet("10.20.0.0"), {
      message: `'networkCidr' ("10.20.0.0") must be IPv4 CIDR notation such as 10.20.0.0/16`,
    });
  });
});
