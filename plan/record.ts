import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { createMocks } from "./mocks";
import type { MockContext, ProviderMocks } from "../components/mock-types";

/** One resource the program registered, as the plan document records it. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource; empty for top-level resources. */
  parent: string;
  /** False for component resources. */
  custom: boolean;
  /** Inputs as the engine would receive them; secrets are "[secret]". */
  inputs: Record<string, unknown>;
  /** Provider id of the resource (fabricated by the mocks); empty for components. */
  id: string;
  /** Outputs the mocks computed beyond the inputs (ARNs, ids, endpoints); secrets are "[secret]". */
  outputs: Record<string, unknown>;
  /** URNs this resource depends on. */
  dependencies: string[];
  /** For each input property, the URNs its value came from. */
  propertyDependencies: Record<string, string[]>;
  /** URN of the explicit provider resource, if any. */
  provider: string;
  /** The `protect` resource option. */
  protect: boolean;
}

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

/**
 * Runs a Pulumi program under mocks and records every resource it registers,
 * with its parent and inputs. The mocks are process-global, so call this once
 * per process (the plan runs each stack in a worker process; tests run each
 * file in its own process).
 */
export async function recordProgram(
  program: () => Record<string, unknown> | void,
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

  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    inFlight++;
    register(req, (err, response) => {
      inFlight--;
      if (!err && response) {
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
          outputs: Object.fromEntries(Object.entries(state).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(inputs[k]))),
          dependencies: [...new Set(req.getDependenciesList())].sort(),
          propertyDependencies: Object.fromEntries(
            [...req.getPropertydependenciesMap().entries()].map(([key, deps]) => [key, [...new Set(deps.getUrnsList())].sort()]),
          ),
          // Provider references are "<urn>::<id>"; the URN is what names the resource.
          provider: req.getProvider().split("::").slice(0, -1).join("::"),
          protect: req.getProtect(),
        });
      }
      callback(err, response);
    });
  };

  try {
    const exported = program() ?? {};
    const outputs = await resolveOutputs(exported);
    await settle(() => inFlight + resources.length * 1e6, () => inFlight === 0);
    if (errors.length > 0) throw errors[0];
    resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    return { resources, outputs, warnings };
  } finally {
    process.off("unhandledRejection", onError);
    pulumi.log.warn = warn;
  }
}

interface RegisterRequest {
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
  while (quiet < SETTLE_ROUNDS) {
    await new Promise((r) => setTimeout(r, SETTLE_INTERVAL_MS));
    const now = fingerprint();
    quiet = now === last && idle() ? quiet + 1 : 0;
    last = now;
  }
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
