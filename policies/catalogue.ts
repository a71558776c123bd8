import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One control of a framework, as an auditor cites it. */
export interface Control {
  /** Catalogue id policies cite, e.g. `ISO27001-A.8.24`. */
  readonly id: string;
  readonly title: string;
  /** Section number in the cited benchmark version, where the framework numbers its recommendations. */
  readonly ref?: string;
}

export interface Framework {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly controls: readonly Control[];
}

export interface Catalogue {
  readonly frameworks: readonly Framework[];
  /** Every control by id, with the framework it belongs to. */
  readonly byId: ReadonlyMap<string, { control: Control; framework: Framework }>;
}

/**
 * Reads policies/controls.json. It is read from disk, not imported, so the
 * pack loads the same under tsx, ts-node (the Pulumi CLI) and tsc without
 * depending on resolveJsonModule. This module is named apart from that file
 * because under ts-node `require("./controls")` finds the JSON before the .ts.
 */
export function loadCatalogue(path = join(__dirname, "controls.json")): Catalogue {
  const raw = JSON.parse(readFileSync(path, "utf8")) as { frameworks?: unknown };
  const errors: string[] = [];
  const frameworks: Framework[] = [];
  if (!Array.isArray(raw.frameworks)) throw new Error(`${path}: 'frameworks' must be an array`);
  raw.frameworks.forEach((f: Partial<Framework>, i: number) => {
    for (const key of ["id", "name", "version"] as const) {
      if (typeof f[key] !== "string" || f[key] === "")
        errors.push(`frameworks[${i}].${key} (${JSON.stringify(f[key])}) must be a non-empty string`);
    }
    if (!Array.isArray(f.controls) || f.controls.length === 0)
      errors.push(`frameworks[${i}].controls must be a non-empty array`);
    frameworks.push(f as Framework);
  });
  const byId = new Map<string, { control: Control; framework: Framework }>();
  for (const framework of frameworks) {
    (framework.controls ?? []).forEach((control, j) => {
      if (typeof control.id !== "string" || typeof control.title !== "string" || control.title === "") {
        errors.push(`framework '${framework.id}' controls[${j}] needs a string id and a title`);
      } else if (byId.has(control.id)) {
        errors.push(`control id '${control.id}' appears twice; ids must be unique across frameworks`);
      } else {
        byId.set(control.id, { control, framework });
      }
    });
  }
  if (errors.length > 0) throw new Error(`${path} is invalid:\n  ${errors.join("\n  ")}`);
  return { frameworks, byId };
}

export const catalogue: Catalogue = loadCatalogue();
