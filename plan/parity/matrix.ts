import { kitFor } from "../../components/kits";
import type { Cell } from "../../components/parity-cells";
import { type Cloud, clouds } from "../../config/clouds";
import type { PlanDocument } from "../document";
import { parityExceptions } from "./exceptions";
import { parityRows } from "./rows";

export interface MatrixRow {
  id: string;
  title: string;
  /** Cells by stack name. */
  cells: Record<string, Cell>;
  /** Same value on every stack, or a named exception explains the difference. */
  verdict: "same" | "explained" | "differs";
  /** The exception that explains a difference. */
  exception?: string;
  /** Stacks whose value is not the secure default the row expects. */
  insecure: string[];
}

export interface ParityMatrix {
  stacks: { stack: string; cloud: string }[];
  rows: MatrixRow[];
}

/** Computes every row for every plan, from the plans' resource inputs. */
export function parityMatrix(plans: PlanDocument[]): ParityMatrix {
  for (const plan of plans) {
    if (!isCloud(plan.cloud)) {
      throw new Error(`stack '${plan.stack}' is a ${plan.cloud} stack; parity compares platform stacks only`);
    }
  }
  const rows = parityRows.map((row): MatrixRow => {
    const cells = Object.fromEntries(
      plans.map((plan) => [plan.stack, kitFor(plan.cloud as Cloud).parity.cells[row.id](plan)]),
    );
    const values = Object.fromEntries(plans.map((plan) => [plan.cloud, cells[plan.stack].value]));
    const same = new Set(Object.values(cells).map((c) => c.value)).size <= 1;
    const exception = same ? undefined : parityExceptions.find((e) => e.row === row.id && e.accepts(values));
    return {
      id: row.id,
      title: row.title,
      cells,
      verdict: same ? "same" : exception ? "explained" : "differs",
      exception: exception?.name,
      insecure: row.secure ? plans.filter((p) => !row.secure?.(cells[p.stack].value)).map((p) => p.stack) : [],
    };
  });
  return { stacks: plans.map((p) => ({ stack: p.stack, cloud: p.cloud })), rows };
}

function isCloud(name: string): name is Cloud {
  return (clouds as readonly string[]).includes(name);
}

/** Rows that fail: an unexplained difference, or a value below the secure default. */
export function failures(matrix: ParityMatrix): string[] {
  return matrix.rows.flatMap((r) => [
    ...(r.verdict === "differs"
      ? [
          `${r.id}: differs (${Object.entries(r.cells)
            .map(([s, c]) => `${s}=${c.value}`)
            .join(", ")})`,
        ]
      : []),
    ...r.insecure.map((s) => `${r.id}: ${s} has '${r.cells[s].value}', below the secure default`),
  ]);
}

/** The matrix as a fixed-width table for a terminal. */
export function renderMatrix(matrix: ParityMatrix): string {
  const header = ["capability", ...matrix.stacks.map((s) => `${s.stack} (${s.cloud})`), "verdict"];
  const body = matrix.rows.map((r) => [
    r.title,
    ...matrix.stacks.map((s) => r.cells[s.stack].value + (r.insecure.includes(s.stack) ? " (!)" : "")),
    r.verdict === "explained" ? `explained: ${r.exception}` : r.verdict,
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((line) => line[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return `${[line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n")}\n`;
}
