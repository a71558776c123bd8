import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { MockContext, ProviderMocks } from "../components/mock-types";
import type { PlannedResource } from "../lib/plan-query";
import { waitUntil } from "../lib/wait";
import { type AliasSpec, resolveAliases } from "./aliases";
import { createMocks } from "./mocks";

// Callers of recordProgram read its resources with this type.
export type { PlannedResource };

export interface RecordedProgram {
  resources: PlannedResource[];
  /** The program's stack outputs, resolved; secrets are "[secret]". */
  outputs: Record<string, unknown>;
  /** What the program logged with pulumi.log.warn, in order: `pulumi up` shows these to the operator. */
  warnings: string[];
}

export const REDACTED = "[secret]";

/** How long registrations must stay quiet before the program counts as finished. */
const SETTLE_ROUNDS = 5;
const SETTLE_INTERVAL_MS = 10;
/** A program still registering after this long is stuck (a stack registers everything within seconds). */
const SETTLE_TIMEOUT_MS = 300_000;

/**
 * Runs a Pulumi program under mocks and records every resource it registers,
 * with its parent and inputs. The mocks are process-global, so call this once
 * per process (the plan runs each stack in a worker process; tests run each
 * file in its own process).
 */
export async function recordProgram(
  program: () => Record<string, unknown> | undefined,
  ctx: MockContext,
  mocks?: ProviderMocks[],
): Promise<RecordedProgram> {
  await pulumi.runtime.setMocks(createMocks(ctx, mocks), ctx.project, ctx.stack, false);
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const resources: PlannedResource[] = [];
  let inFlight = 0;
  const errors: unknown[] = [];
  const onError = (err: unknown) => errors.push(err);
  process.on("unhandledRejection", onError);

  // Without an engine Pulumi prints warnings to the console, where a plan would lose them.
  const warnings: string[] = [];
  const warn = pulumi.log.warn;
  pulumi.log.warn = async (message: string) => void warnings.push(message);

  // The engine, absent here, would resolve each registration's aliases; a child inherits its parent's.
  const aliasesByUrn = new Map<string, string[]>();
  const aliasContext = {
    project: ctx.project,
    stack: ctx.stack,
    aliasesOf: (urn: string) => aliasesByUrn.get(urn) ?? [],
  };

  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    inFlight++;
    register(req, (err, response) => {
      inFlight--;
      if (!err && response) {
        const aliases = resolveAliases(
          { type: req.getType(), name: req.getName(), parent: req.getParent() ?? "", aliases: aliasSpecs(req) },
          aliasContext,
        );
        if (aliases.length > 0) aliasesByUrn.set(response.getUrn(), aliases);
        const inputs = redact(deserializeProperties(req.getObject())) as Record<string, unknown>;
        const state = redact(deserializeProperties(response.getObject())) as Record<string, unknown>;
        resources.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent() ?? "",
          custom: req.getCustom(),
          inputs,
          id: response.getId(),
          outputs: Object.fromEntries(
            Object.entries(state).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(inputs[k])),
          ),
          dependencies: [...new Set(req.getDependenciesList())].sort(),
          propertyDependencies: Object.fromEntries(
            [...req.getPropertydependenciesMap().entries()].map(([key, deps]) => [
              key,
              [...new Set(deps.getUrnsList())].sort(),
            ]),
          ),
          // Provider references are "<urn>::<id>"; the URN is what names the resource.
          provider: req.getProvider().split("::").slice(0, -1).join("::"),
          protect: req.getProtect(),
          ...(aliases.length > 0 ? { aliases } : {}),
        });
      }
      callback(err, response);
    });
  };

  try {
    const exported = program() ?? {};
    const outputs = await resolveOutputs(exported);
    await settle(
      () => inFlight + resources.length * 1e6,
      () => inFlight === 0,
    );
    if (errors.length > 0) throw errors[0];
    resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    return { resources, outputs, warnings };
  } finally {
    process.off("unhandledRejection", onError);
    pulumi.log.warn = warn;
  }
}

/** The aliases a request carries: specs (what the SDK sends under mocks) or, from older monitors, URNs. */
function aliasSpecs(req: RegisterRequest): AliasSpec[] {
  const specs = req.getAliasesList().map((alias): AliasSpec => {
    const spec = alias.getSpec();
    if (alias.hasUrn() || !spec) return { urn: alias.getUrn() };
    return {
      name: spec.getName(),
      type: spec.getType(),
      stack: spec.getStack(),
      project: spec.getProject(),
      parentUrn: spec.hasParenturn() ? spec.getParenturn() : undefined,
      noParent: spec.hasNoparent() && spec.getNoparent(),
    };
  });
  return [...specs, ...req.getAliasurnsList().map((urn) => ({ urn }))];
}

interface AliasMessage {
  hasUrn(): boolean;
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        hasParenturn(): boolean;
        getParenturn(): string;
        hasNoparent(): boolean;
        getNoparent(): boolean;
      }
    | undefined;
}

interface RegisterRequest {
  getAliasesList(): AliasMessage[];
  getAliasurnsList(): string[];
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { entries(): IterableIterator<[string, { getUrnsList(): string[] }]> };
  getObject(): Parameters<typeof deserializeProperties>[0];
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): Parameters<typeof deserializeProperties>[0];
}
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: (err: Error | null, response?: RegisterResponse) => void): void;
}

/** Waits until registrations stop: the same fingerprint for several rounds with nothing in flight. */
async function settle(fingerprint: () => number, idle: () => boolean): Promise<void> {
  let last = -1;
  let quiet = 0;
  const settled = () => {
    const now = fingerprint();
    quiet = now === last && idle() ? quiet + 1 : 0;
    last = now;
    return quiet >= SETTLE_ROUNDS;
  };
  await waitUntil(settled, {
    what: `resource registrations to stop for ${SETTLE_ROUNDS} rounds of ${SETTLE_INTERVAL_MS} ms`,
    timeoutMs: SETTLE_TIMEOUT_MS,
    intervalMs: SETTLE_INTERVAL_MS,
  });
}

async function resolveOutputs(exported: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(exported).map(async ([key, value]) => {
      if (!pulumi.Output.isInstance(value)) return [key, value] as const;
      const secret = await pulumi.isSecret(value);
      const plain = await new Promise<unknown>((resolve) => value.apply((v) => resolve(v)));
      return [key, secret ? REDACTED : redact(plain)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Replaces Pulumi's secret envelopes with "[secret]", everywhere in a value. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[specialSigKey] === specialSecretSig) return REDACTED;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redact(v)]));
  }
  return value;
}
