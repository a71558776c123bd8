import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePackDetailed, type ResourceRecord } from "../../policies/harness";
import { selectPolicies } from "../../policies/registry";
import { allFixtures } from "./fixtures";

const allPolicies = selectPolicies();

/**
 * Every policy against its compliant fixture and each one-field change of it
 * (STYLE.md items 9-10). The policy runs alone, through the harness that
 * builds the same arguments @pulumi/policy passes at runtime.
 */
for (const fixture of allFixtures) {
  const policy = allPolicies.find((p) => p.id === fixture.policy);
  describe(`policy ${fixture.policy}`, () => {
    it("exists in the pack", () => assert.ok(policy, `no policy with id '${fixture.policy}'`));
    if (!policy) return;

    it("passes the compliant fixture, and actually evaluates it", async () => {
      const { verdicts } = await evaluatePackDetailed(fixture.compliant, {}, [policy]);
      assert.deepEqual(verdicts[0].violations, []);
      assert.equal(verdicts[0].verdict, "pass");
      assert.ok(verdicts[0].evaluated.length > 0, "the policy was not applicable to its own compliant fixture");
    });

    for (const c of fixture.cases) {
      const violates = c.violates ?? true;
      it(`${violates ? "reports exactly one violation" : "reports nothing"} when ${c.name}`, async () => {
        const resources = structuredClone(fixture.compliant) as ResourceRecord[];
        c.mutate(resources);
        const config = c.config === undefined ? {} : { [policy.id]: c.config };
        const { violations, verdicts } = await evaluatePackDetailed(resources, config, [policy]);
        if (!violates) {
          assert.deepEqual(violations, []);
          // A policy that found nothing to evaluate also reports nothing: say which of the two the case means.
          assert.equal(verdicts[0].verdict, c.outOfScope ? "not-applicable" : "pass", "the case's verdict");
          return;
        }
        assert.equal(
          violations.length,
          1,
          `expected one violation, got: ${JSON.stringify(violations.map((v) => v.message))}`,
        );
        assert.equal(violations[0].policy, policy.id);
        assert.equal(violations[0].enforcement, policy.enforcementLevel);
        if (c.message) assert.match(violations[0].message, c.message);
      });
    }
  });
}
