import { kitDescriptors } from "../components/kits";
import { loadConfig } from "../config/load";
import { readStackFile } from "../config/stack-file";
import { evaluatePack } from "../policies/harness";
import { buildStack } from "../stacks/program";
import type { PlanDocument } from "./document";
import { defaultPackConfigFile, readPackConfig } from "./pack-config";
import { recordProgram } from "./record";

/** The fake account and subscription every offline plan uses, so plans are reproducible. */
export const FAKE_ACCOUNT_ID = "123456789012";
export const FAKE_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001";

/**
 * Plans one stack in this process: validates its config, runs the real
 * program (stacks/program.ts) under mocks, records every resource and runs
 * the policy pack over them, with the pack config in `packConfigFile` (by default `policy-config.json` beside the
 * stack file, if there is one; else the pack's defaults).
 * Mocks are process-global: one call per process (see planStack).
 */
export async function planInProcess(stackOrPath: string, packConfigFile?: string): Promise<PlanDocument> {
  const file = readStackFile(stackOrPath);
  const packConfig = readPackConfig(packConfigFile ?? defaultPackConfigFile(file.path));
  const config = loadConfig(file.config, {
    cloudRules: kitDescriptors,
    secretKeys: file.secretKeys,
    source: file.path,
  });
  const platform = config.kind === "platform" ? config : undefined;
  const region = platform?.region ?? "global";
  const recorded = await recordProgram(() => buildStack(config, file.stack), {
    project: "warbler",
    stack: file.stack,
    region,
    accountId: FAKE_ACCOUNT_ID,
    subscriptionId: FAKE_SUBSCRIPTION_ID,
  });
  const violations = await evaluatePack(
    recorded.resources.map((r) => ({
      type: r.type,
      name: r.name,
      props: r.inputs,
      urn: r.urn,
      parent: r.parent || undefined,
      provider: r.provider || undefined,
      id: r.id || undefined,
      outputs: r.outputs,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
      protect: r.protect,
    })),
    packConfig,
  );
  return {
    stack: file.stack,
    cloud: platform?.cloud ?? config.kind,
    resources: recorded.resources.map(({ custom: _custom, ...resource }) => resource),
    outputs: recorded.outputs,
    violations,
    warnings: recorded.warnings,
  };
}
