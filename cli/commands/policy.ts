import type { Command } from "commander";
import { ExitCode, InputError } from "../../lib/errors";
import { readJsonFile, readPackConfig } from "../../plan/pack-config";
import type { ResourceRecord } from "../../policies/harness";
import { evaluatePack, hasMandatory, type Violation } from "../../policies/harness";
import { toResourceRecords } from "../../policies/input";
import { selectPolicies } from "../../policies/registry";

/** The resources of a `policy check` input file. */
export function readResources(file: string): ResourceRecord[] {
  const parsed = toResourceRecords(readJsonFile(file, "resource file"));
  if (!parsed.ok) throw new InputError(`${file} is not a resource list or plan:\n  ${parsed.problems.join("\n  ")}`);
  return parsed.resources;
}

/** Fixed-width text table; the last column is not padded so long messages stay readable. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return `${[line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`;
}

function renderViolations(violations: readonly Violation[]): string {
  if (violations.length === 0) return "No policy violations.\n";
  const rows = violations.map((v) => [v.policy, v.resource, v.enforcement, v.message]);
  return renderTable(["POLICY", "RESOURCE", "ENFORCEMENT", "MESSAGE"], rows);
}

export function registerPolicyCommand(program: Command): void {
  const policy = program
    .command("policy")
    .description("Run and inspect the Warbler compliance policy pack (policies/).");

  policy
    .command("check")
    .description("Evaluate the policy pack against resources in a JSON file.")
    .argument(
      "<file>",
      "a JSON array of { type, name, props } (Pulumi type tokens and input properties), or a plan from " +
        "`warbler plan --json`",
    )
    .option("--json", "print violations as JSON: [{ policy, resource, enforcement, message }]")
    .option(
      "--config <file>",
      "policy config JSON: per policy id, an enforcement level or { enforcementLevel, <settings> }",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 no mandatory violation (advisory ones may be printed), 1 a mandatory policy is " +
        "violated, 2 the file or config is unreadable or malformed.",
    )
    .action(async (file: string, options: { json?: boolean; config?: string }) => {
      const config = readPackConfig(options.config);
      const violations = await evaluatePack(readResources(file), config);
      if (options.json) {
        const out = violations.map(({ policy: id, resource, enforcement, message }) => ({
          policy: id,
          resource,
          enforcement,
          message,
        }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        process.stdout.write(renderViolations(violations));
      }
      process.exitCode = hasMandatory(violations) ? ExitCode.failed : ExitCode.ok;
    });

  policy
    .command("list")
    .description("List the pack's policies with their default enforcement, severity and controls.")
    .option("--json", "print the list as JSON")
    .action((options: { json?: boolean }) => {
      const rows = selectPolicies().map((p) => ({
        id: p.id,
        target: p.target,
        enforcementLevel: p.enforcementLevel,
        severity: p.severity,
        name: p.name,
        controls: [...p.controls],
      }));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        renderTable(
          ["ID", "ENFORCEMENT", "SEVERITY", "NAME"],
          rows.map((r) => [r.id, r.enforcementLevel, r.severity, r.name]),
        ),
      );
    });
}
