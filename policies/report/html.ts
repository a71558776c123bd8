import type { ComplianceReport } from "./model";

function esc(text: unknown): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

const label = { pass: "PASS", fail: "FAIL", "not-applicable": "n/a", disabled: "off" } as const;

/** Inline styles only: the report is one file an auditor can archive, mail and print. */
const css =
  `
:root { --fail: #b3261e; --pass: #1b6e3a; --muted: #5f6368; --rule: #d0d4d9; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 2rem auto; ` +
  `max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid #1f2328; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
p.meta { color: var(--muted); margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: 9.5pt; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
td.status { text-align: center; font-weight: 600; white-space: nowrap; }
.pass { color: var(--pass); } .fail { color: var(--fail); } .not-applicable, .disabled { color: var(--muted); }
code { font: 9pt ui-monospace, Consolas, monospace; }
.missing { border-left: 4px solid var(--fail); padding: .4rem .8rem; background: #fdf2f1; }
ul.evidence { margin: 0; padding-left: 1rem; }
@page { size: A4 landscape; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  h2 { break-before: page; }
  h2.first { break-before: avoid; }
  table { page-break-inside: auto; }
  tr, td, th { break-inside: avoid; }
  thead { display: table-header-group; }
}`;

export function renderHtml(r: ComplianceReport): string {
  const stacks = r.stacks.map((s) => s.stack);
  const h: string[] = [];
  h.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Warbler compliance ` +
      `report ${esc(r.pack.version)}</title><style>${css}</style></head><body>`,
  );
  h.push(`<h1>Warbler compliance report</h1>`);
  h.push(
    `<p class="meta">Policy pack <strong>${esc(r.pack.name)} ${esc(r.pack.version)}</strong> ` +
      `· ${r.pack.policyCount} policies · generated <time ` +
      `datetime="${esc(r.pack.generatedAt)}">${esc(r.pack.generatedAt)}</time></p>`,
  );
  for (const m of r.missing)
    h.push(
      `<p class="missing"><strong>Not evaluated:</strong> stack <code>${esc(m.stack)}</code>: ${esc(m.reason)}</p>`,
    );
  if (r.stacks.length > 0) {
    h.push(
      `<table ` +
        `id="summary"><thead><tr><th>Stack</th><th>Cloud</th><th>` +
        `Evidence</th><th>Pass</th><th>Fail</th><th>n/a</th><th>` +
        `Mandatory ` +
        `violations</th><th>Advisory violations</th></tr></thead><tbody>`,
    );
    for (const s of r.stacks) {
      h.push(
        `<tr><td>${esc(s.stack)}</td><td>${esc(s.cloud)}</td>` +
          `<td>${esc(s.source)}</td><td>${s.totals.pass}</td>` +
          `<td>${s.totals.fail}</td><td>${s.totals.notApplicable}</td>` +
          `<td ` +
          `class="${s.totals.mandatoryViolations ? "fail" : "pass"}">${s.totals.mandatoryViolations}</` +
          `td><td>${s.totals.advisoryViolations}</td></tr>`,
      );
    }
    h.push(`</tbody></table>`);
  }

  h.push(`<h2 class="first" id="matrix">Framework → control → policy matrix</h2>`);
  for (const f of r.frameworks) {
    h.push(`<h3>${esc(f.name)} <span class="meta">(${esc(f.version)})</span></h3>`);
    h.push(
      `<table class="matrix" ` +
        `data-framework="${esc(f.id)}"><thead><tr><th>Control</th>` +
        `<th>Title</th><th>Policies</` +
        `th>${stacks.map((s) => `<th>${esc(s)}</th>`).join("")}</tr>` +
        `</thead><tbody>`,
    );
    for (const c of f.controls) {
      const cells = stacks.map((s) => `<td class="status ${c.status[s]}">${label[c.status[s]]}</td>`).join("");
      h.push(
        `<tr><td><code>${esc(c.id)}</` +
          `code>${c.ref ? `<br><small>${esc(c.ref)}</small>` : ""}</td>` +
          `<td>${esc(c.title)}</td>` +
          `<td>${c.policies.map((p) => `<code>${esc(p)}</code>`).join("<br>") || "—"}</` +
          `td>${cells}</tr>`,
      );
    }
    h.push(`</tbody></table>`);
  }

  for (const s of r.stacks) {
    h.push(
      `<h2 id="stack-${esc(s.stack)}">Stack ${esc(s.stack)} (${esc(s.cloud)})</h2><p ` +
        `class="meta">Evidence: ${esc(s.source)}</p>`,
    );
    h.push(
      `<table class="verdicts"><thead><tr><th>Policy</th><th>Enforcement</th><th>Verdict</th><th>Evaluated ` +
        `resources</th><th>Findings</th></tr></thead><tbody>`,
    );
    for (const v of s.verdicts.filter((x) => x.verdict !== "not-applicable")) {
      const evaluated = v.evaluated.length
        ? `<ul class="evidence">${v.evaluated.map((e) => `<li>${esc(e)}</li>`).join("")}</ul>`
        : "—";
      const items = v.violations.map((x) => `<li><strong>${esc(x.resource)}</strong>: ${esc(x.message)}</li>`);
      const findings = v.violations.length ? `<ul class="evidence">${items.join("")}</ul>` : "—";
      h.push(
        `<tr><td><code>${esc(v.policy)}</code></td><td>${esc(v.enforcement)}</td><td ` +
          `class="status ${v.verdict}">${label[v.verdict]}</td><td>${evaluated}</td><td>${findings}</td></tr>`,
      );
    }
    h.push(`</tbody></table>`);
    const na = s.verdicts.filter((x) => x.verdict === "not-applicable").map((x) => `<code>${esc(x.policy)}</code>`);
    h.push(
      `<p class="meta">Not applicable (the stack has none of the resources they ` +
        `check): ${na.join(", ") || "none"}.</p>`,
    );
  }

  h.push(
    `<h2 id="policies">Policies</h2><table class="policies"><thead><tr><th>Policy</th><th>Severity / ` +
      `enforcement</th><th>What, why</th><th>How to fix</th><th>Controls</th></tr></thead><tbody>`,
  );
  for (const p of r.policies) {
    h.push(
      `<tr><td><code>${esc(p.id)}</code><br>${esc(p.name)}</td>` +
        `<td>${esc(p.severity)}<br>${esc(p.enforcementLevel)}</td>` +
        `<td>${esc(p.description)}</td><td>${esc(p.fix)}</td>` +
        `<td>${p.controls.map((c) => `<code>${esc(c)}</code>`).join(" ")}</` +
        `td></tr>`,
    );
  }
  h.push(`</tbody></table></body></html>`);
  return `${h.join("\n")}\n`;
}
