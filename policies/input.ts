/**
 * Reads what `warbler policy check` accepts: a JSON array of
 * `{ "type", "name", "props" }` (Pulumi type tokens and input properties), or
 * a plan document from `warbler plan --json` (`{ "resources": [{ "urn",
 * "type", "name", "parent", "inputs", "id", "outputs" }] }`). Pure: it
 * returns records or the list of problems, and never throws on bad input.
 */
import type { ResourceRecord } from "./harness";

export type ParsedInput =
  | { ok: true; resources: ResourceRecord[]; kind: "resources" | "plan"; stack?: string }
  | { ok: false; problems: string[] };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Turns parsed JSON into resource records, collecting every problem with its JSON path. */
export function toResourceRecords(json: unknown): ParsedInput {
  const plan = isObject(json) && Array.isArray(json.resources);
  const items = plan ? (json as { resources: unknown[] }).resources : json;
  if (!Array.isArray(items)) {
    return {
      ok: false,
      problems: ["expected a JSON array of { type, name, props } or a plan document with a 'resources' array"],
    };
  }
  const problems: string[] = [];
  const resources: ResourceRecord[] = [];
  const base = plan ? "resources" : "";
  items.forEach((item, i) => {
    const at = `${base}[${i}]`;
    if (!isObject(item)) {
      problems.push(`${at} (${JSON.stringify(item)}) must be an object`);
      return;
    }
    const props = plan ? item.inputs : item.props;
    const propsKey = plan ? "inputs" : "props";
    const bad: string[] = [];
    if (typeof item.type !== "string" || !/^[^:\s]+:[^:\s]*:[^:\s]+$/.test(item.type)) {
      bad.push(`${at}.type (${JSON.stringify(item.type)}) must be a Pulumi type token, e.g. "kubernetes:core/v1:Pod"`);
    }
    if (typeof item.name !== "string" || item.name === "")
      bad.push(`${at}.name (${JSON.stringify(item.name)}) must be a non-empty string`);
    if (props !== undefined && !isObject(props)) bad.push(`${at}.${propsKey} must be an object`);
    if (bad.length > 0) {
      problems.push(...bad);
      return;
    }
    resources.push({
      type: item.type as string,
      name: item.name as string,
      props: (props ?? {}) as Record<string, unknown>,
      ...(optionalString(item.urn) ? { urn: item.urn as string } : {}),
      ...(optionalString(item.parent) ? { parent: item.parent as string } : {}),
      ...(optionalString(item.provider) ? { provider: item.provider as string } : {}),
      ...(optionalString(item.id) ? { id: item.id as string } : {}),
      ...(isObject(item.outputs) ? { outputs: item.outputs } : {}),
      ...(Array.isArray(item.dependencies)
        ? { dependencies: item.dependencies.filter((d): d is string => typeof d === "string") }
        : {}),
      ...(isObject(item.propertyDependencies)
        ? { propertyDependencies: item.propertyDependencies as Record<string, string[]> }
        : {}),
      ...(typeof item.protect === "boolean" ? { protect: item.protect } : {}),
    });
  });
  if (problems.length > 0) return { ok: false, problems };
  const stack = plan ? optionalString((json as Record<string, unknown>).stack) : undefined;
  return { ok: true, resources, kind: plan ? "plan" : "resources", ...(stack ? { stack } : {}) };
}
