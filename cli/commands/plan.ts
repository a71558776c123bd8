import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { ArgumentChecks } from "../../lib/check";
import { ExitCode, InputError } from "../../lib/errors";
import { progress } from "../../lib/progress";
import { exampleStacks, type PlanDocument, planStack } from "../../plan";
import { stableJson, summarize } from "../../plan/document";

interface PlanCommandOptions {
  all?: boolean;
  json?: string;
  out?: string;
  quiet?: boolean;
  policyConfig?: string;
}

/** Plans run two at a time: one per core of the reference machine. */
const CONCURRENCY = 2;

export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description(
      "Plan stacks offline: run the real program under Pulumi mocks, record every resource, run the policy pack.",
    )
    .argument("[stacks...]", "stack names from stacks/ (aws, azure, ...) or paths to Pulumi.<stack>.yaml files")
    .option("--all", "plan every example stack in stacks/")
    .option("--json <file>", "write the plan document of the (single) stack to <file>")
    .option("--out <dir>", "write <dir>/<stack>.json for every planned stack")
    .option("-q, --quiet", "print no summary, only errors")
    .option(
      "--policy-config <file>",
      "policy pack config JSON (as for `policy check --config`); default: policy-config.json beside each stack file",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 planned with no mandatory policy violation, 1 a mandatory policy is violated or " +
        "planning failed, 2 bad stack config or arguments.",
    )
    .action(async (stacks: string[], options: PlanCommandOptions) => {
      process.exitCode = await runPlan(stacks, options);
    });
}

async function runPlan(stacks: string[], options: PlanCommandOptions): Promise<number> {
  const check = new ArgumentChecks();
  const all = "must be left out with --all, which plans every one";
  check.require(!options.all || stacks.length === 0, "stacks", stacks, all);
  const targets = options.all ? exampleStacks() : stacks;
  const none = "must name at least one stack (for example `warbler plan aws`) or use --all";
  check.require(targets.length > 0, "stacks", stacks, none);
  const one = "must be one stack with --json, which writes one plan; use --out <dir> for several";
  if (options.json) check.require(targets.length === 1, "stacks", targets, one);
  check.throwIfAny(InputError);

  const log = progress(!options.quiet);
  const docs = await planAll(targets, options.policyConfig, (stack) => {
    const done = log.step(`planning ${stack}`);
    return (doc) => done(`${doc.resources.length} resources`);
  });

  for (const doc of docs) {
    if (options.out) writePlan(join(options.out, `${doc.stack}.json`), doc);
    if (options.json) writePlan(options.json, doc);
    if (!options.quiet) process.stdout.write(renderSummary(doc));
  }
  const mandatory = docs.flatMap((d) => d.violations.filter((v) => v.enforcement === "mandatory"));
  return mandatory.length > 0 ? ExitCode.failed : ExitCode.ok;
}

/**
 * Plans platform stacks in parallel, then the global stack, whose
 * StackReferences resolve to the outputs just planned. Results come back in
 * the order of `targets`.
 */
async function planAll(
  targets: string[],
  policyConfig: string | undefined,
  onStart: (stack: string) => (doc: PlanDocument) => void,
): Promise<PlanDocument[]> {
  const results = new Map<string, PlanDocument>();
  const isGlobal = (t: string) => /(^|\/)(Pulumi\.)?global(\.ya?ml)?$/.test(t);
  for (const wave of [targets.filter((t) => !isGlobal(t)), targets.filter(isGlobal)]) {
    const queue = [...wave];
    const peerOutputs = Object.fromEntries([...results.values()].map((d) => [d.stack, d.outputs]));
    const worker = async () => {
      for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
        const finish = onStart(stack);
        const doc = await planStack(stack, { peerOutputs, policyConfig });
        finish(doc);
        results.set(stack, doc);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, wave.length) }, worker));
  }
  return targets.map((t) => results.get(t) as PlanDocument);
}

function writePlan(file: string, doc: PlanDocument): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stableJson(doc));
}

export function renderSummary(doc: PlanDocument): string {
  const { byComponent, byType } = summarize(doc);
  const lines = [`\nStack ${doc.stack} (${doc.cloud}): ${doc.resources.length} resources`, "  by component:"];
  for (const [component, count] of [...byComponent].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    lines.push(`    ${String(count).padStart(4)}  ${component}`);
  }
  lines.push("  by type:");
  for (const [type, count] of [...byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    lines.push(`    ${String(count).padStart(4)}  ${type}`);
  }
  const mandatory = doc.violations.filter((v) => v.enforcement === "mandatory");
  const advisory = doc.violations.filter((v) => v.enforcement === "advisory");
  lines.push(`  policies: ${mandatory.length} mandatory and ${advisory.length} advisory violations`);
  for (const v of [...mandatory, ...advisory])
    lines.push(`    [${v.enforcement}] ${v.policy} on ${v.resource}: ${v.message}`);
  if (doc.warnings.length > 0) lines.push(`  warnings: ${doc.warnings.length}`, ...doc.warnings.map((w) => `    ${w}`));
  return `${lines.join("\n")}\n`;
}
