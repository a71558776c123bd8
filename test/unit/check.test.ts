import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArgumentChecks, problemsMessage } from "../../lib/check";
import { InputError } from "../../lib/errors";

describe("ArgumentChecks (the one argument-check helper)", () => {
  it("words each problem as '<name>' (<value received>) <what is wrong>", () => {
    const table: [unknown, string][] = [
      [5, "'x' (5) is wrong"],
      [Number.NaN, "'x' (NaN) is wrong"],
      ["", `'x' ("") is wrong`],
      ["abc", `'x' ("abc") is wrong`],
      [undefined, "'x' (undefined) is wrong"],
      [[1024, 80], "'x' ([1024,80]) is wrong"],
      [{ a: 1 }, `'x' ({"a":1}) is wrong`],
    ];
    for (const [value, expected] of table) {
      const check = new ArgumentChecks();
      check.add("x", value, "is wrong");
      assert.deepEqual(check.problems, [expected]);
    }
  });

  it("records a failed requirement only, and returns whether it passed", () => {
    const check = new ArgumentChecks();
    assert.equal(check.require(true, "min", 1, "must be positive"), true);
    assert.equal(check.require(false, "nodePools[1].min", 5, "must not exceed 'max' (3)"), false);
    assert.deepEqual(check.problems, ["'nodePools[1].min' (5) must not exceed 'max' (3)"]);
  });

  it("throws nothing when every check passed", () => {
    const check = new ArgumentChecks();
    check.require(true, "min", 1, "must be positive");
    check.throwIfAny(RangeError);
  });

  it("throws one problem as it is, in the class given (InputError for CLI flags: exit code 2)", () => {
    const check = new ArgumentChecks();
    check.add("--lag-ms", "-1", "must be an integer from 0 to 60000");
    assert.throws(
      () => check.throwIfAny(InputError),
      (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.equal(err.message, `'--lag-ms' ("-1") must be an integer from 0 to 60000`);
        return true;
      },
    );
  });

  it("collects several problems and throws once, listing each under the subject", () => {
    const check = new ArgumentChecks("invalid publisher endpoint");
    check.add("host", "h password=x", "must be a host name or IPv4 address");
    check.add("port", 70000, "must be an integer from 1 to 65535");
    const message = [
      "invalid publisher endpoint:",
      `  - 'host' ("h password=x") must be a host name or IPv4 address`,
      "  - 'port' (70000) must be an integer from 1 to 65535",
    ].join("\n");
    assert.throws(() => check.throwIfAny(RangeError), { name: "RangeError", message });
  });

  it("lists problems under 'invalid arguments' when several are found and no subject was given", () => {
    const two = problemsMessage(["'a' (1) is wrong", "'b' (2) is wrong"]);
    assert.equal(two, "invalid arguments:\n  - 'a' (1) is wrong\n  - 'b' (2) is wrong");
    const oneWithSubject = problemsMessage(["'a' (1) is wrong"], "invalid ejabberd spec");
    assert.equal(oneWithSubject, "invalid ejabberd spec:\n  - 'a' (1) is wrong", "a subject always heads a list");
  });
});
