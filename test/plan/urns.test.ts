import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { exampleStacks, type PlanDocument, planStack } from "../../plan";
import { checkUrnPins, describeUrnPinReport, keepsPin } from "../../plan/urn-pins";
import { planExamples } from "../support/example-plans";

/**
 * Each example stack's URNs, pinned (STYLE.md 13): a refactor that moves, renames or retypes a
 * resource without an alias fails here instead of replacing live gateways and databases.
 * The pins are the offline plan's URNs, one per line, sorted: test/plan/urns/<stack>.txt.
 */
const PIN_DIR = join(__dirname, "urns");
const UPDATE = process.env.UPDATE_URN_PINS === "1";
const UPDATE_HINT =
  "UPDATE_URN_PINS=1 node --import tsx --test test/plan/urns.test.ts, and review the diff of test/plan/urns/";

const pinPath = (stack: string) => join(PIN_DIR, `${stack}.txt`);
const readPin = (stack: string): string[] =>
  readFileSync(pinPath(stack), "utf8")
    .split("\n")
    .filter((line) => line.length > 0);

const plans = new Map<string, PlanDocument>();
before(async () => {
  // As `warbler plan --all` plans them: the platform stacks, then the global stack reading their outputs.
  for (const doc of Object.values(await planExamples())) plans.set(doc.stack, doc);
  const peerOutputs = Object.fromEntries([...plans.values()].map((d) => [d.stack, d.outputs]));
  for (const stack of exampleStacks().filter((s) => !plans.has(s)))
    plans.set(stack, await planStack(stack, { peerOutputs }));
});

describe("the example stacks' URNs", () => {
  it("have a pin for every example stack, and no pin without one", () => {
    const pinned = readdirSync(PIN_DIR)
      .filter((f) => f.endsWith(".txt"))
      .map((f) => f.slice(0, -".txt".length))
      .sort();
    assert.deepEqual(pinned, [...exampleStacks()].sort());
  });

  for (const stack of exampleStacks()) {
    it(`${stack}: keeps its pinned URNs, or takes them over through aliases`, () => {
      const plan = plans.get(stack);
      assert.ok(plan, `${stack} was planned`);
      if (UPDATE) {
        writeFileSync(
          pinPath(stack),
          `${plan.resources
            .map((r) => r.urn)
            .sort()
            .join("\n")}\n`,
        );
        return;
      }
      const report = checkUrnPins(readPin(stack), plan.resources);
      assert.ok(keepsPin(report), describeUrnPinReport(stack, report, UPDATE_HINT));
    });
  }
});
