/**
 * The compliance report as data: the framework → control → policy matrix,
 * each stack's verdicts with the evaluated resources as evidence, and the
 * pack version and date. Pure; the renderers turn it into Markdown, HTML or JSON.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Catalogue, catalogue as defaultCatalogue } from "../catalogue";
import type { PackEvaluation, PolicyVerdict } from "../harness";
import { describe, type WarblerPolicy } from "../policy";
import { selectPolicies } from "../registry";

export interface StackEvidence {
  stack: string;
  cloud: string;
  /** Where the resources came from, e.g. `out/plan/<stack>.json` or `offline plan`. */
  source: string;
  evaluation: PackEvaluation;
}

export interface ReportControl {
  id: string;
  title: string;
  ref?: string;
  /** Ids of the policies that evidence this control. */
  policies: string[];
  /**
   * Per stack: fail if any of the control's policies failed there, pass if at least one passed, else not-applicable.
   */
  status: Record<string, "pass" | "fail" | "not-applicable">;
}

export interface ComplianceReport {
  pack: { name: string; version: string; generatedAt: string; policyCount: number };
  frameworks: { id: string; name: string; version: string; controls: ReportControl[] }[];
  policies: {
    id: string;
    name: string;
    target: string;
    severity: string;
    enforcementLevel: string;
    description: string;
    fix: string;
    controls: string[];
    resourceTypes: string[];
  }[];
  stacks: {
    stack: string;
    cloud: string;
    source: string;
    totals: {
      pass: number;
      fail: number;
      notApplicable: number;
      disabled: number;
      mandatoryViolations: number;
      advisoryViolations: number;
    };
    verdicts: (Omit<PolicyVerdict, "violations"> & { violations: { resource: string; message: string }[] })[];
  }[];
  /** Stacks asked for but not evaluated, with the reason. */
  missing: { stack: string; reason: string }[];
}

/** The pack's own version, from policies/package.json: what a compliance sign-off names. */
export function packVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
}

function controlStatus(
  policyIds: readonly string[],
  verdicts: readonly PolicyVerdict[],
): "pass" | "fail" | "not-applicable" {
  const relevant = verdicts.filter((v) => policyIds.includes(v.policy));
  if (relevant.some((v) => v.verdict === "fail")) return "fail";
  return relevant.some((v) => v.verdict === "pass") ? "pass" : "not-applicable";
}

export function buildReport(
  stacks: readonly StackEvidence[],
  missing: readonly { stack: string; reason: string }[],
  options: { generatedAt: Date; version?: string; policies?: readonly WarblerPolicy[]; catalogue?: Catalogue },
): ComplianceReport {
  const policies = options.policies ?? selectPolicies();
  const cat = options.catalogue ?? defaultCatalogue;
  return {
    pack: {
      name: "warbler",
      version: options.version ?? packVersion(),
      generatedAt: options.generatedAt.toISOString(),
      policyCount: policies.length,
    },
    frameworks: cat.frameworks.map((f) => ({
      id: f.id,
      name: f.name,
      version: f.version,
      controls: f.controls.map((c) => {
        const ids = policies.filter((p) => p.controls.includes(c.id)).map((p) => p.id);
        return {
          id: c.id,
          title: c.title,
          ...(c.ref ? { ref: c.ref } : {}),
          policies: ids,
          status: Object.fromEntries(stacks.map((s) => [s.stack, controlStatus(ids, s.evaluation.verdicts)])),
        };
      }),
    })),
    policies: policies.map((p) => ({
      id: p.id,
      name: p.name,
      target: p.target,
      severity: p.severity,
      enforcementLevel: p.enforcementLevel,
      description: describe(p),
      fix: p.fix,
      controls: [...p.controls],
      resourceTypes: [...p.resourceTypes],
    })),
    stacks: stacks.map((s) => {
      const v = s.evaluation.verdicts;
      const violations = s.evaluation.violations;
      return {
        stack: s.stack,
        cloud: s.cloud,
        source: s.source,
        totals: {
          pass: v.filter((x) => x.verdict === "pass").length,
          fail: v.filter((x) => x.verdict === "fail").length,
          notApplicable: v.filter((x) => x.verdict === "not-applicable").length,
          disabled: v.filter((x) => x.verdict === "disabled").length,
          mandatoryViolations: violations.filter((x) => x.enforcement === "mandatory").length,
          advisoryViolations: violations.filter((x) => x.enforcement === "advisory").length,
        },
        verdicts: v.map((x) => ({
          ...x,
          violations: x.violations.map((y) => ({ resource: y.resource, message: y.message })),
        })),
      };
    }),
    missing: [...missing],
  };
}
