// Loads stacks/index.ts the way the stock Pulumi CLI's Node.js language host
// does: plain node, ts-node registered with the project's tsconfig.json, the
// stack's config in PULUMI_CONFIG (structured values as JSON text), then the
// program required as the project's `main`. Pulumi's engine is replaced by
// its mocks; prints the recorded resource types as JSON on stdout.

const path = require("node:path");
const repo = path.join(__dirname, "..", "..");

require("ts-node").register({
  compiler: "typescript",
  project: path.join(repo, "tsconfig.json"),
  // Pulumi type-checks unless PULUMI_NODEJS_TRANSPILE_ONLY or `noCheck` say
  // otherwise; `npm test` runs tsc over the same files, so this child only
  // proves the program compiles and runs under ts-node.
  transpileOnly: true,
  compilerOptions: {},
});

async function main() {
  const stack = process.argv[2];
  const { readStackFile } = require(path.join(repo, "config/stack-file.ts"));
  const file = readStackFile(stack);
  const engineConfig = Object.fromEntries(
    Object.entries(file.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  process.env.PULUMI_CONFIG = JSON.stringify(engineConfig);
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify([...file.secretKeys]);
  const { recordProgram } = require(path.join(repo, "plan/record.ts"));
  const { FAKE_ACCOUNT_ID, FAKE_SUBSCRIPTION_ID } = require(path.join(repo, "plan/plan-in-process.ts"));
  const recorded = await recordProgram(() => require(path.join(repo, require(path.join(repo, "package.json")).main)), {
    project: "warbler",
    stack,
    region: engineConfig["warbler:region"] ?? "global",
    accountId: FAKE_ACCOUNT_ID,
    subscriptionId: FAKE_SUBSCRIPTION_ID,
  });
  process.stdout.write(
    JSON.stringify({ types: recorded.resources.map((r) => r.type), outputs: Object.keys(recorded.outputs) }),
  );
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
