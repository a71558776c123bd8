import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { type Cloud, clouds } from "../../../config/clouds";
import { sourceFiles } from "../../../scripts/check-file-size";
import { REPO } from "../../support/cli";

/**
 * Only a cloud's kit and its policies know the cloud: everything else reaches
 * cloud-specific code through the kit registry (components/kits.ts) and reads
 * the config's cloud list (config/clouds.ts). A cloud name as a string
 * literal, a `case` on it, or a cloud's provider SDK anywhere else is a
 * switch on the cloud waiting to happen.
 */

/** Each cloud's provider SDK package. */
const sdkOf: Record<Cloud, string> = {
  aws: "@pulumi/aws",
  azure: "@pulumi/azure-native",
  alicloud: "@pulumi/alicloud",
};

/**
 * Where cloud names may appear: the kits, their policies, the config's cloud list and regions, the registry, and the
 * policy pack's own cloud list (the pack is published alone, so it cannot import config/; a policy test keeps the two
 * equal).
 */
const ALLOWED = [
  ...clouds.flatMap((cloud) => [`components/${cloud}/`, `policies/${cloud}/`]),
  "config/clouds.ts",
  "config/regions.ts",
  "components/kits.ts",
  "policies/policy.ts",
];

interface CloudNameHit {
  /** `path:line`, the path relative to the repository root. */
  where: string;
  what: string;
}

/** The kit directory a path lies in, if any. */
function kitOf(path: string): Cloud | undefined {
  return clouds.find((cloud) => path.startsWith(`components/${cloud}/`));
}

/** The cloud whose SDK a module specifier names, if any (`@pulumi/aws/route53/record` names aws). */
function sdkCloud(specifier: string): Cloud | undefined {
  return clouds.find((cloud) => specifier === sdkOf[cloud] || specifier.startsWith(`${sdkOf[cloud]}/`));
}

/** The module specifier of an import, export-from, `import()`, `require()` or `import("...")` type. */
function specifierOf(node: ts.Node): ts.StringLiteralLike | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
    return ts.isStringLiteralLike(node.moduleSpecifier) ? node.moduleSpecifier : undefined;
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    const expression = node.moduleReference.expression;
    return ts.isStringLiteralLike(expression) ? expression : undefined;
  }
  if (ts.isCallExpression(node)) {
    const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
    const [first] = node.arguments;
    return (isImport || isRequire) && first && ts.isStringLiteralLike(first) ? first : undefined;
  }
  if (
    ts.isImportTypeNode(node) &&
    ts.isLiteralTypeNode(node.argument) &&
    ts.isStringLiteralLike(node.argument.literal)
  ) {
    return node.argument.literal;
  }
  return undefined;
}

/**
 * Every cloud name in one file's source: string literals (any quotes, or a
 * backtick template without substitutions) equal to a cloud's name, and
 * imports of a cloud's SDK. A file of an allowed place reports nothing,
 * except that a kit may import only its own cloud's SDK.
 */
function cloudNameHits(path: string, source: string): CloudNameHit[] {
  const allowed = ALLOWED.some((prefix) => (prefix.endsWith("/") ? path.startsWith(prefix) : path === prefix));
  const kit = kitOf(path);
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const hits: CloudNameHit[] = [];
  const hit = (node: ts.Node, what: string) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    hits.push({ where: `${path}:${line}`, what });
  };
  const visit = (node: ts.Node): void => {
    const specifier = specifierOf(node);
    const sdk = specifier && sdkCloud(specifier.text);
    if (specifier && sdk && (!allowed || (kit !== undefined && kit !== sdk))) {
      hit(specifier, `imports ${specifier.text}${kit ? `, the SDK of another cloud than ${kit}` : ""}`);
    }
    if (!allowed && ts.isStringLiteralLike(node) && (clouds as readonly string[]).includes(node.text)) {
      const inCase = ts.isCaseClause(node.parent) && node.parent.expression === node;
      hit(node, inCase ? `case ${node.getText(file)}` : `string literal ${node.getText(file)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return hits;
}

describe("cloud names live only in the kits, their policies, the config's cloud list and the registry", () => {
  it("no other non-test source file names a cloud or imports a cloud's SDK", () => {
    const files = sourceFiles(REPO).filter((f) => /\.(ts|mts|cts)$/.test(f));
    assert.ok(files.includes("components/contract.ts") && files.length > 100, `scanned ${files.length} files`);
    assert.ok(
      !files.some((f) => f.startsWith("test/") || f.includes("node_modules/")),
      "tests and dependencies are not scanned",
    );
    const hits = files.flatMap((f) => cloudNameHits(f, readFileSync(join(REPO, f), "utf8")));
    if (hits.length > 0) {
      const report = hits.map((h) => `  ${h.where}: ${h.what}`).join("\n");
      assert.fail(`cloud names outside the kits; reach the kit through kitFor() (components/kits.ts):\n${report}`);
    }
  });

  it("catches each kind of planted violation and names its file and line", () => {
    const source = [
      `import { Bucket } from "@pulumi/aws/s3";`,
      `const a = "aws";`,
      `const b = 'azure';`,
      "const c = `alicloud`;",
      `switch (cloud) { case "azure": break; }`,
      `const d = require("@pulumi/azure-native");`,
      `type E = import("@pulumi/alicloud").Provider;`,
      `export { F } from "@pulumi/aws";`,
      `// a comment may say aws, and "aws" is fine in one`,
      // A template with a substitution is not a cloud's name, even if it ends in one.
      "const g = `$" + '{cloud}-aws`, h = "awsome", i = "@pulumi/awsx";',
    ].join("\n");
    assert.deepEqual(
      cloudNameHits("components/failover/planted.ts", source).map((h) => `${h.where} ${h.what}`),
      [
        "components/failover/planted.ts:1 imports @pulumi/aws/s3",
        'components/failover/planted.ts:2 string literal "aws"',
        "components/failover/planted.ts:3 string literal 'azure'",
        "components/failover/planted.ts:4 string literal `alicloud`",
        'components/failover/planted.ts:5 case "azure"',
        "components/failover/planted.ts:6 imports @pulumi/azure-native",
        "components/failover/planted.ts:7 imports @pulumi/alicloud",
        "components/failover/planted.ts:8 imports @pulumi/aws",
      ],
    );
  });

  it("allows cloud names in the allowed places, but a kit only its own cloud's SDK", () => {
    const source = [
      `import { Vpc } from "@pulumi/aws/ec2";`,
      `import { Vnet } from "@pulumi/azure-native/network";`,
      `const c = "azure";`,
    ].join("\n");
    for (const path of ["policies/aws/ec2/x.ts", "config/clouds.ts", "config/regions.ts", "components/kits.ts"]) {
      assert.deepEqual(cloudNameHits(path, source), [], path);
    }
    assert.deepEqual(
      cloudNameHits("components/aws/x.ts", source).map((h) => h.where),
      ["components/aws/x.ts:2"],
      "the AWS kit may not import the Azure SDK",
    );
    for (const path of [
      "config/global.ts",
      "components/kits-extra.ts",
      "policies/common/x.ts",
      "components/awsx/x.ts",
    ]) {
      assert.equal(cloudNameHits(path, source).length, 3, `${path} is not an allowed place`);
    }
  });
});
