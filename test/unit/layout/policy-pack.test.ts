import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sourceFiles } from "../../../scripts/check-file-size";
import { REPO } from "../../support/cli";

/** Constructing a PolicyPack starts the analyzer's gRPC server, which never exits: one file does it. */
const PACK_FILE = "policies/index.ts";

/** `new PolicyPack(` or `new policy.PolicyPack(`, and a value import of the PolicyPack binding (import or require). */
const CONSTRUCTS = /\bnew\s+(?:[\w$]+\s*\.\s*)?PolicyPack\s*\(/;
const IMPORTS_VALUE = [
  /import\s*(?!type\b)\{[^}]*(?<!type\s+)\bPolicyPack\b[^}]*\}\s*from\s*["']@pulumi\/policy["']/,
  /\{[^}]*\bPolicyPack\b[^}]*\}\s*=\s*require\(\s*["']@pulumi\/policy["']\s*\)/,
  /require\(\s*["']@pulumi\/policy["']\s*\)\s*\.\s*PolicyPack\b/,
];

function packConstructors(files: Record<string, string>): string[] {
  return Object.entries(files)
    .filter(([, text]) => CONSTRUCTS.test(text) || IMPORTS_VALUE.some((re) => re.test(text)))
    .map(([path]) => path)
    .sort();
}

describe("the policy pack", () => {
  it(`is constructed only in ${PACK_FILE}`, () => {
    const files = Object.fromEntries(sourceFiles().map((p) => [p, readFileSync(join(REPO, p), "utf8")]));
    assert.deepEqual(packConstructors(files), [PACK_FILE]);
  });

  it("is found however it is written, and type-only imports are not constructions", () => {
    const table: [string, boolean][] = [
      [`import { PolicyPack } from "@pulumi/policy";`, true],
      [`import { Foo, PolicyPack as Pack } from '@pulumi/policy';`, true],
      [`import * as policy from "@pulumi/policy";\nnew policy.PolicyPack("x", {});`, true],
      [`const pack = new PolicyPack ("x", {});`, true],
      [`const { PolicyPack: P } = require("@pulumi/policy");`, true],
      [`const P = require("@pulumi/policy").PolicyPack;`, true],
      [`import type { PolicyPack } from "@pulumi/policy";`, false],
      [`import { type PolicyPack, ResourceValidationPolicy } from "@pulumi/policy";`, false],
      [`import type { PolicyPackConfig } from "@pulumi/policy";`, false],
      [`// the PolicyPack is built in policies/index.ts`, false],
    ];
    for (const [text, constructs] of table) {
      assert.deepEqual(packConstructors({ "x.ts": text }), constructs ? ["x.ts"] : [], text);
    }
  });
});
