/**
 * The one way to check arguments: each problem reads `'<name>' (<value received>) <what is wrong or allowed>`,
 * such as `'nodePools[1].min' (5) must not exceed 'max' (3)`. A function checking several arguments
 * collects every problem and throws once, so the caller fixes them all in one go.
 */
export class ArgumentChecks {
  private readonly found: string[] = [];

  /** @param subject Heads the list of problems, such as `invalid IM chart props`. @default - see problemsMessage */
  constructor(private readonly subject?: string) {}

  /** Problems recorded so far, each in the one format. */
  get problems(): readonly string[] {
    return this.found;
  }

  /** Records a problem with argument `name`: a property path (`turn.relayPorts`) or a CLI flag (`--lag-ms`). */
  add(name: string, value: unknown, wrong: string): void {
    this.found.push(`'${name}' (${shown(value)}) ${wrong}`);
  }

  /** Records the problem unless `ok`; returns `ok`, so that a check can guard the ones that need it to pass. */
  require(ok: boolean, name: string, value: unknown, wrong: string): boolean {
    if (!ok) this.add(name, value, wrong);
    return ok;
  }

  /** Throws one `ErrorClass` naming every problem recorded; returns when there is none. */
  throwIfAny(ErrorClass: new (message: string) => Error): void {
    if (this.found.length > 0) throw new ErrorClass(problemsMessage(this.found, this.subject));
  }
}

/** One problem alone, as a CLI prints it; otherwise one per line under `subject` ("invalid arguments" if none). */
export function problemsMessage(problems: readonly string[], subject?: string): string {
  if (problems.length === 1 && subject === undefined) return problems[0];
  return `${subject ?? "invalid arguments"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
}

/** JSON, so that a string is quoted and an empty one visible; numbers as JavaScript prints them (NaN, not null). */
function shown(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint" || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}
