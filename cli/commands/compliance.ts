import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { STACKS_DIR } from "../../config/stack-file";
import { ArgumentChecks } from "../../lib/check";
import { FailedError, InputError } from "../../lib/errors";
import { progress } from "../../lib/progress";
import { exampleStacks, planStack } from "../../plan";
import { defaultPackConfigFile, readJsonFile, readPackConfig } from "../../plan/pack-config";
import { evaluatePackDetailed } from "../../policies/harness";
import { toResourceRecords } from "../../policies/input";
import { renderHtml } from "../../policies/report/html";
import { renderMarkdown } from "../../policies/report/markdown";
import { buildReport, type StackEvidence } from "../../policies/report/model";

const formats = ["md", "html", "json"] as const;
type Format = (typeof formats)[number];

interface ReportOptions {
  stack?: string[];
  format: string;
  out?: string;
  plans: string;
  config?: string;
  quiet?: boolean;
}

/** One stack's resources: its saved plan if there is one, else a fresh offline plan. */
async function evidenceFor(stack: string, plansDir: string): Promise<{ cloud: string; source: string; json: unknown }> {
  const saved = join(plansDir, `${stack}.json`);
  if (existsSync(saved)) {
    const json = readJsonFile(saved, "plan");
    return { cloud: String((json as { cloud?: unknown }).cloud ?? "unknown"), source: saved, json };
  }
  const doc = await planStack(stack);
  return { cloud: doc.cloud, source: `offline plan of stacks/Pulumi.${stack}.yaml (no ${saved})`, json: doc };
}

export function registerComplianceCommand(program: Command): void {
  const compliance = program.command("compliance").description("Documents for compliance teams and auditors.");
  compliance
    .command("report")
    .description(
      "Write the compliance report: the framework → control → policy matrix, each stack's verdicts with the " +
        "evaluated resources as evidence, and the pack version and date.",
    )
    .option("--stack <names...>", "stacks to include (default: every example stack in stacks/)")
    .option("--format <format>", `output format: ${formats.join(", ")}`, "md")
    .option("--out <file>", "write the report to <file> instead of stdout")
    .option(
      "--plans <dir>",
      "directory of saved plans (<stack>.json from `warbler plan --out`); stacks without one are planned offline",
      "out/plan",
    )
    .option(
      "--config <file>",
      "policy config JSON, as for `warbler policy check`; default: stacks/policy-config.json, the example stacks' one",
    )
    .option("-q, --quiet", "no progress on stderr")
    .addHelpText(
      "after",
      "\nThe HTML format is one self-contained file laid out for printing (A4 landscape).\nExit codes: 0 " +
        "report written, 1 written but some stacks could not be evaluated (named in the report), 2 bad arguments " +
        "or config.",
    )
    .action(async (options: ReportOptions) => {
      const check = new ArgumentChecks();
      const known = formats.includes(options.format as Format);
      check.require(known, "--format", options.format, `must be one of ${formats.join(", ")}`);
      check.throwIfAny(InputError);
      const config = readPackConfig(options.config ?? defaultPackConfigFile(join(STACKS_DIR, "Pulumi.yaml")));
      const stacks = options.stack ?? exampleStacks();
      const log = progress(!options.quiet);
      const evidence: StackEvidence[] = [];
      const missing: { stack: string; reason: string }[] = [];
      for (const stack of stacks) {
        const done = log.step(`evaluating ${stack}`);
        try {
          const { cloud, source, json } = await evidenceFor(stack, options.plans);
          const parsed = toResourceRecords(json);
          if (!parsed.ok) throw new Error(`unreadable plan: ${parsed.problems.slice(0, 3).join("; ")}`);
          evidence.push({ stack, cloud, source, evaluation: await evaluatePackDetailed(parsed.resources, config) });
          done(`${parsed.resources.length} resources`);
        } catch (err) {
          missing.push({ stack, reason: (err as Error).message.replace(/\s*\n\s*/g, " ") });
          done("not evaluated");
        }
      }
      const report = buildReport(evidence, missing, { generatedAt: new Date() });
      const text =
        options.format === "json"
          ? `${JSON.stringify(report, null, 2)}\n`
          : options.format === "html"
            ? renderHtml(report)
            : renderMarkdown(report);
      if (options.out) {
        mkdirSync(dirname(options.out), { recursive: true });
        writeFileSync(options.out, text);
        log.info(`wrote ${options.out}`);
      } else {
        process.stdout.write(text);
      }
      if (missing.length > 0)
        throw new FailedError(`not evaluated: ${missing.map((m) => `${m.stack} (${m.reason})`).join("; ")}`);
    });
}
