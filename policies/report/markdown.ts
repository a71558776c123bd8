import type { ComplianceReport } from "./model";

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

const mark = { pass: "PASS", fail: "FAIL", "not-applicable": "n/a", disabled: "disabled" } as const;

export function renderMarkdown(r: ComplianceReport): string {
  const stackNames = r.stacks.map((s) => s.stack);
  const out: string[] = [];
  out.push(`# Warbler compliance report`, "");
  out.push(
    `Policy pack **${r.pack.name} ${r.pack.version}** (${r.pack.policyCount} policies), ` +
      `generated ${r.pack.generatedAt}.`,
    "",
  );
  if (r.stacks.length > 0) {
    out.push(
      "| stack | cloud | evidence | pass | fail | n/a | mandatory violations | advisory violations |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const s of r.stacks) {
      out.push(
        `| ${s.stack} | ${s.cloud} | ${cell(s.source)} | ${s.totals.pass} | ${s.totals.fail} ` +
          `| ${s.totals.notApplicable} | ${s.totals.mandatoryViolations} | ${s.totals.advisoryViolations} |`,
      );
    }
    out.push("");
  }
  for (const m of r.missing) out.push(`> **Not evaluated:** stack \`${m.stack}\`: ${cell(m.reason)}`, "");

  out.push("## Framework to control to policy matrix", "");
  for (const f of r.frameworks) {
    out.push(`### ${f.name} (${f.version})`, "");
    out.push(`| control | title | policies | ${stackNames.join(" | ")}${stackNames.length ? " |" : ""}`);
    out.push(`| --- | --- | --- | ${stackNames.map(() => "---").join(" | ")}${stackNames.length ? " |" : ""}`);
    for (const c of f.controls) {
      const status = stackNames.map((s) => mark[c.status[s]]).join(" | ");
      out.push(
        `| ${c.id}${c.ref ? ` (${c.ref})` : ""} | ${cell(c.title)} | ${c.policies.join(", ") || "—"} ` +
          `| ${status}${stackNames.length ? " |" : ""}`,
      );
    }
    out.push("");
  }

  for (const s of r.stacks) {
    out.push(`## Stack \`${s.stack}\` (${s.cloud})`, "", `Evidence: ${s.source}.`, "");
    out.push("| policy | enforcement | verdict | evaluated resources | findings |", "| --- | --- | --- | --- | --- |");
    for (const v of s.verdicts.filter((x) => x.verdict !== "not-applicable")) {
      const findings = v.violations.map((x) => `${x.resource}: ${x.message}`).join("; ");
      out.push(
        `| ${v.policy} | ${v.enforcement} | ${mark[v.verdict]} | ${cell(v.evaluated.join(", ") || "—")} ` +
          `| ${cell(findings || "—")} |`,
      );
    }
    const na = s.verdicts.filter((x) => x.verdict === "not-applicable").map((x) => x.policy);
    out.push("", `Not applicable (the stack has none of the resources they check): ${na.join(", ") || "none"}.`, "");
  }

  out.push("## Policies", "");
  for (const p of r.policies) {
    out.push(`### ${p.id}: ${p.name}`, "");
    out.push(`- Target: ${p.target}; severity: ${p.severity}; default enforcement: ${p.enforcementLevel}`);
    out.push(`- Checks: ${p.description}`);
    out.push(`- Fix: ${p.fix}`);
    out.push(`- Controls: ${p.controls.join(", ")}`);
    out.push(`- Resource types: ${p.resourceTypes.join(", ")}`, "");
  }
  return `${out.join("\n")}\n`;
}
