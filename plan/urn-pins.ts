/**
 * A stack's URNs against a pinned set (STYLE.md 13). A URN is a resource's identity in the state:
 * a resource whose URN changes is deleted and created again, unless it declares an alias that
 * resolves to its old URN. So a plan keeps its pin when every pinned URN is still planned, or is
 * taken over through an alias, and nothing else is planned.
 */

/** What the check reads of a planned resource. */
export interface PinnedResource {
  urn: string;
  /** URNs it would take over, in the engine's order (plan/aliases.ts). @default - none */
  aliases?: string[];
}

export interface UrnPinReport {
  /** Pinned URNs nothing plans or takes over: those resources would be deleted. */
  missing: string[];
  /** Planned URNs the pin lacks, taking over nothing: those resources would be created. */
  added: string[];
  /** Pinned URNs taken over through an alias: new URN by old. */
  aliased: Record<string, string>;
  /**
   * Pinned URNs more than one resource would take (an alias to a URN still planned counts): the engine fails the
   * update.
   */
  contested: Record<string, string[]>;
}

/**
 * Compares planned resources with the pinned URNs as the engine would match them to an old state
 * holding exactly the pinned URNs: a resource whose URN is pinned keeps it and uses no alias;
 * any other resource takes over the first of its aliases that is pinned. Two resources taking one
 * old URN (or one taking the URN another still has) fail `pulumi up`: that is "contested".
 */
export function checkUrnPins(pinned: readonly string[], resources: readonly PinnedResource[]): UrnPinReport {
  const old = new Set(pinned);
  const planned = new Set(resources.map((r) => r.urn));
  // Old URN -> the resources that would take it: the one still planned at it, then those aliasing it.
  const claims = new Map<string, string[]>();
  for (const r of resources) {
    if (old.has(r.urn)) continue;
    const taken = (r.aliases ?? []).find((a) => old.has(a));
    if (taken) claims.set(taken, [...(claims.get(taken) ?? (planned.has(taken) ? [taken] : [])), r.urn]);
  }
  const aliased: Record<string, string> = {};
  const contested: Record<string, string[]> = {};
  for (const [oldUrn, newUrns] of [...claims.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (newUrns.length === 1) aliased[oldUrn] = newUrns[0];
    else contested[oldUrn] = [...newUrns].sort();
  }
  const taking = new Set(Object.values(aliased));
  return {
    missing: [...old].filter((u) => !planned.has(u) && !claims.has(u)).sort(),
    added: [...planned].filter((u) => !old.has(u) && !taking.has(u)).sort(),
    aliased,
    contested,
  };
}

/** True when the plan keeps the pin: nothing missing, added or contested. */
export function keepsPin(report: UrnPinReport): boolean {
  return report.missing.length === 0 && report.added.length === 0 && Object.keys(report.contested).length === 0;
}

/** What a failed check tells the engineer: which URNs, and the two ways out. */
export function describeUrnPinReport(stack: string, report: UrnPinReport, updateHint: string): string {
  const section = (title: string, urns: string[]) =>
    urns.length > 0 ? [`${title}:`, ...urns.map((u) => `  ${u}`)] : [];
  return [
    `${stack}: the planned URNs differ from the pin; a resource whose URN changes is deleted and created again.`,
    ...section(
      "missing (planned no more, and no resource declares an alias to them: they would be deleted)",
      report.missing,
    ),
    ...section("added (not in the pin: they would be created)", report.added),
    ...Object.entries(report.contested).flatMap(([urn, by]) => [
      `contested (several resources alias it; pulumi up fails): ${urn}`,
      ...by.map((u) => `  by ${u}`),
    ]),
    "If a resource moved or changed type or name, add `aliases` to its options, naming its old type, name or " +
      "parent (STYLE.md 13).",
    `If the change is meant (a resource added, or one replaced on purpose), update the pin deliberately: ${updateHint}`,
  ].join("\n");
}
