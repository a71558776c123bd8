import { z } from "zod";
import { clouds, sizeClass } from "./clouds";
import { configSchemas } from "./kinds";
import { NAMESPACE } from "./load";
import { regions } from "./regions";
import { secretKeyPlaceholders } from "./schema";

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

interface Row {
  key: string;
  type: string;
  required: boolean;
  defaultValue: string;
  allowed: string;
  description: string;
}

/**
 * docs/config.md, generated from the schema so the reference cannot drift
 * (`npm run docs:config` writes it; a unit test compares).
 */
export function renderConfigDocs(): string {
  const out: string[] = [
    "# Stack configuration reference",
    "",
    "<!-- Generated from config/ by `npm run docs:config`. Do not edit by hand. -->",
    "",
    "Every key lives in the `warbler` namespace of a stack file (`stacks/Pulumi.<stack>.yaml`) or is set with",
    "`pulumi config set warbler:<key> <value>` (structured keys with `--path`, e.g. `pulumi config set --path " +
      "'warbler:database.backupRetentionDays' 30`).",
    "Bad values are rejected before any resource is created: `warbler plan` exits 2 and lists every bad key, " +
      "the value received and what is allowed;",
    "`pulumi up` fails the same way. Unknown keys (typos) are errors, with a suggestion.",
    "",
  ];
  for (const [kind, schema] of Object.entries(configSchemas)) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    out.push(
      `## Stack kind \`${kind}\``,
      "",
      "| key | type | required | default | allowed | description |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const row of rows(json, `${NAMESPACE}:`)) {
      out.push(
        `| \`${row.key}\` | ${row.type} | ${row.required ? "yes" : "no"} | ${row.defaultValue} ` +
          `| ${row.allowed} | ${row.description} |`,
      );
    }
    out.push("");
  }
  out.push(
    "## Secrets",
    "",
    "These keys hold credentials. Set them with `pulumi config set --secret`; Warbler keeps them secret in " +
      "every output, and `warbler plan` shows them as `[secret]`:",
    "",
  );
  for (const key of Object.keys(secretKeyPlaceholders)) out.push(`- \`${key}\``);
  out.push("", "## Sizes", "", "| size | vCPU | memory (GiB) |", "| --- | --- | --- |");
  for (const [size, c] of Object.entries(sizeClass)) out.push(`| \`${size}\` | ${c.vcpu} | ${c.memoryGiB} |`);
  out.push("", "## Regions", "", "Regions where every managed service a kit uses is offered:", "");
  for (const cloud of clouds) out.push(`- **${cloud}**: ${regions[cloud].map((r) => `\`${r}\``).join(", ")}`);
  return `${out.join("\n")}\n`;
}

function rows(schema: JsonSchema, prefix: string): Row[] {
  const result: Row[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const choices = raw.anyOf?.filter((s) => s.type !== "null") ?? [];
    // A choice of fixed values (10 or 30) reads as one field with those values allowed.
    const prop =
      choices.length > 1 && choices.every((c) => c.const !== undefined)
        ? { ...choices[0], const: undefined, enum: choices.map((c) => c.const) }
        : (choices[0] ?? raw);
    const key = `${prefix}${name}`;
    result.push({
      key,
      type: typeOf(prop),
      required:
        (required.has(name) && raw.default === undefined) || (isEmptyObject(raw.default) && hasRequiredKey(prop)),
      defaultValue: raw.default === undefined || isEmptyObject(raw.default) ? "" : `\`${JSON.stringify(raw.default)}\``,
      allowed: allowedOf(prop).replace(/\|/g, "\\|"),
      description: (raw.description ?? prop.description ?? "").replace(/\|/g, "\\|"),
    });
    if (prop.properties) result.push(...rows(prop, `${key}.`));
    if (prop.items?.properties) result.push(...rows(prop.items, `${key}[].`));
  }
  return result;
}

/** A map defaulting to `{}` must still be set when one of its keys has no default (warbler:im needs an image). */
function hasRequiredKey(s: JsonSchema): boolean {
  return (s.required ?? []).some((key) => s.properties?.[key]?.default === undefined);
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return typeof s.const;
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "values"}`;
  if (s.type === "object") return "map";
  return Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
}

function allowedOf(s: JsonSchema): string {
  const parts: string[] = [];
  if (s.enum) parts.push(s.enum.map((v) => `\`${String(v)}\``).join(", "));
  if (s.const !== undefined) parts.push(`\`${String(s.const)}\``);
  if (s.minimum !== undefined && s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER)
    parts.push(`${s.minimum} to ${s.maximum}`);
  else if (s.minimum !== undefined) parts.push(`at least ${s.minimum}`);
  if (s.minItems !== undefined || s.maxItems !== undefined)
    parts.push(`${s.minItems ?? 0} to ${s.maxItems ?? "any"} entries`);
  if (s.format === "uri") parts.push("https URL");
  if (s.pattern) parts.push(`pattern \`${s.pattern}\``);
  return parts.join("; ");
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}
