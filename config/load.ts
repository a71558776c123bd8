import { z } from "zod";
import { type Cloud, clouds } from "./clouds";
import { configSchemas, type StackKind, type WarblerConfig } from "./kinds";
import { NAMESPACE } from "./namespace";
import { type PartialPlatformConfig, secretKeyPlaceholders } from "./schema";

export { NAMESPACE } from "./namespace";

/** One problem in a stack's config: the key path, the value received and what is allowed. */
export interface ConfigIssue {
  key: string;
  value: unknown;
  message: string;
}

/**
 * A key that only another cloud's kit reads, set on this one: refused with `message` rather than silently ignored.
 * Undefined when the key is unset or an empty list.
 */
export function foreignKeyIssue(key: string, value: unknown, message: string): ConfigIssue | undefined {
  const set = Array.isArray(value) ? value.length > 0 : value !== undefined;
  return set ? { key: `${NAMESPACE}:${key}`, value, message } : undefined;
}

/** Bad stack config. Carries exit code 2 for the CLI and every issue found, not just the first. */
export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly issues: ConfigIssue[],
    source?: string,
  ) {
    super(
      `stack config${source ? ` ${source}` : ""} is invalid:\n` +
        issues
          .map((i) => `  - '${i.key}'${i.value === undefined ? "" : ` (${render(i.value)})`} ${i.message}`)
          .join("\n"),
    );
    this.name = "ConfigError";
  }
}

/**
 * What one cloud's kit cannot build from a config the cloud-neutral rules
 * accept, every problem at once. It runs even when other keys failed, so that
 * one run reports every error; hence it reads a partial config defensively.
 */
export type CloudConfigRule = (config: PartialPlatformConfig) => ConfigIssue[];

/** Each cloud's rule, as the kit registry hands it over (`kitDescriptors` in components/kits.ts). */
export type CloudConfigRules = Readonly<Record<Cloud, { readonly configRules: CloudConfigRule }>>;

export interface LoadOptions {
  /** The kits' rules; required, so that no caller skips them by forgetting them. config/ imports no kit. */
  cloudRules: CloudConfigRules;
  /** Further fully-qualified keys whose values are secrets (beyond the schema's own); never echoed in errors. */
  secretKeys?: ReadonlySet<string>;
  /** Where the config came from, for error messages (a file path or "Pulumi config"). */
  source?: string;
}

/**
 * Validates raw stack config (fully-qualified keys to values, as in a stack
 * file or `pulumi.runtime.allConfig()`) and returns the typed config with
 * defaults applied. Keys of other namespaces (aws:, pulumi:) are ignored.
 * Throws ConfigError listing every problem.
 */
export function loadConfig(raw: Record<string, unknown>, options: LoadOptions): WarblerConfig {
  const secretKeys = new Set([...Object.keys(secretKeyPlaceholders), ...(options.secretKeys ?? [])]);
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const [ns, ...rest] = key.split(":");
    if (ns !== NAMESPACE || rest.length !== 1) continue;
    input[rest[0]] = decodeStructured(value);
  }
  const kind = input.kind ?? "platform";
  if (typeof kind !== "string" || !(kind in configSchemas)) {
    throw new ConfigError(
      [{ key: `${NAMESPACE}:kind`, value: kind, message: `must be one of ${Object.keys(configSchemas).join(", ")}` }],
      options.source,
    );
  }
  const schema =
    kind === "platform" ? withCloudRules(configSchemas.platform, options.cloudRules) : configSchemas[kind as StackKind];
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => describeIssue(issue, input, schema, secretKeys));
  throw new ConfigError(issues, options.source);
}

/** The platform schema with the kits' rules, which run like its cross-field rules: on the partial value too. */
function withCloudRules(schema: typeof configSchemas.platform, cloudRules: CloudConfigRules) {
  return schema.superRefine(
    (parsed, ctx) => {
      const cloud = (parsed as PartialPlatformConfig).cloud;
      if (!cloud || !clouds.includes(cloud)) return;
      for (const issue of cloudRules[cloud].configRules(parsed)) {
        ctx.addIssue({ code: "custom", path: keyPath(issue.key), message: issue.message });
      }
    },
    { when: () => true },
  );
}

/** A kit issue's key as a schema path: `warbler:cluster.nodePools[1].name` is ["cluster", "nodePools", 1, "name"]. */
function keyPath(key: string): (string | number)[] {
  return key
    .replace(/^[^:]+:/, "")
    .split(/\.|\[(\d+)\]/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Pulumi hands structured values (objects, lists, numbers) to programs as JSON text. */
function decodeStructured(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed) || /^(true|false|-?\d+(\.\d+)?)$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  input: Record<string, unknown>,
  schema: z.ZodType,
  secretKeys: ReadonlySet<string>,
): ConfigIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const keyOf = (p: (string | number)[]) => `${NAMESPACE}:${formatPath(p)}`;
  const valueAt = (p: (string | number)[]) => {
    if (p.length > 0 && secretKeys.has(`${NAMESPACE}:${p[0]}`)) return "[secret]";
    return p.reduce<unknown>(
      (v, seg) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[seg] : undefined),
      input,
    );
  };
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(schema, path);
    return issue.keys.map((k) => {
      const suggestion = closest(k, known);
      return {
        key: keyOf([...path, k]),
        value: undefined,
        message:
          `is not a known key${suggestion ? `; did you mean '${keyOf([...path, suggestion])}'?` : ""} Known ` +
          `keys here: ${known.join(", ")}`,
      };
    });
  }
  const value = valueAt(path);
  const message = explain(issue, value);
  // A missing key's own description says what to put there, which "is required" alone does not.
  const description = message === "is required" ? fieldAt(schema, path)?.description : undefined;
  return [{ key: keyOf(path), value, message: description ? `${message}: ${description}` : message }];
}

function explain(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return value === undefined
        ? "is required"
        : `must be ${article(issue.expected)}, not ${Array.isArray(value) ? "a list" : typeof value}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array"
        ? `must have at least ${issue.minimum} entries`
        : issue.origin === "string"
          ? `must be at least ${issue.minimum} characters`
          : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array"
        ? `must have at most ${issue.maximum} entries`
        : issue.origin === "string"
          ? `must be at most ${issue.maximum} characters`
          : `must be at most ${issue.maximum}`;
    case "invalid_format":
      return issue.format === "url" ? "must be an https:// URL" : issue.message;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  return type === "array"
    ? "a list"
    : type === "object"
      ? "a map of keys to values"
      : /^[aeiou]/.test(type)
        ? `an ${type}`
        : `a ${type}`;
}

export function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** The property names an object schema accepts at `path`, for "did you mean" hints. */
function knownKeys(schema: z.ZodType, path: (string | number)[]): string[] {
  const node = unwrap(fieldAt(schema, path));
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** The schema of the value at `path`, as declared (wrappers such as defaults kept, so its description is there). */
function fieldAt(schema: z.ZodType, path: (string | number)[]): z.ZodType | undefined {
  let field: z.ZodType | undefined = schema;
  for (const seg of path) {
    const node = unwrap(field);
    if (node instanceof z.ZodObject) field = node.shape[seg as string] as z.ZodType | undefined;
    else if (node instanceof z.ZodArray) field = node.element as z.ZodType;
    else return undefined;
  }
  return field;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  for (;;) {
    const inner = (node?._zod.def as { innerType?: z.ZodType; in?: z.ZodType } | undefined)?.innerType;
    if (!inner) return node;
    node = inner;
  }
}

/** The known key within edit distance 2 of `key`, if any: catches typos such as `databse`. */
function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function render(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
