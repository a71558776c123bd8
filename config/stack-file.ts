import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { ConfigError, NAMESPACE } from "./load";
import { secretKeyPlaceholders } from "./schema";

/** A stack file read without the Pulumi CLI, for the offline plan. */
export interface StackFile {
  /** Stack name, from the file name `Pulumi.<stack>.yaml`. */
  stack: string;
  path: string;
  /** Fully-qualified config keys to values, secrets replaced by placeholders. */
  config: Record<string, unknown>;
  /** Keys whose values were `secure:` in the file. */
  secretKeys: Set<string>;
}

export const STACKS_DIR = resolve(__dirname, "..", "stacks");

/** The example stacks shipped in stacks/, by name. */
export function exampleStackPath(stack: string): string {
  return join(STACKS_DIR, `Pulumi.${stack}.yaml`);
}

/**
 * Resolves `aws` (a stack in stacks/) or a path to any Pulumi.<name>.yaml and
 * reads it. `secure:` values cannot be decrypted offline: keys that the schema
 * marks as secrets get a placeholder, any other encrypted key is an error.
 */
export function readStackFile(stackOrPath: string): StackFile {
  const looksLikePath = stackOrPath.includes("/") || stackOrPath.endsWith(".yaml") || stackOrPath.endsWith(".yml");
  const path = looksLikePath ? resolve(stackOrPath) : exampleStackPath(stackOrPath);
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(path));
  const source = looksLikePath ? path : `stacks/${basename(path)}`;
  if (!match) {
    throw new ConfigError([
      {
        key: "stack",
        value: stackOrPath,
        message: "must be a stack name from stacks/ or a path to a Pulumi.<stack>.yaml file",
      },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigError([
      { key: "stack", value: stackOrPath, message: `has no stack file at ${source} (stacks in ${dirname(path)})` },
    ]);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError(
      [{ key: "stack file", value: undefined, message: `is not valid YAML: ${(err as Error).message.split("\n")[0]}` }],
      source,
    );
  }
  const configSection = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof configSection !== "object" || configSection === null || Array.isArray(configSection)) {
    throw new ConfigError(
      [{ key: "config", value: configSection, message: "must be a map of keys to values" }],
      source,
    );
  }
  const config: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  const encrypted: string[] = [];
  for (const [key, value] of Object.entries(configSection)) {
    if (isSecure(value)) {
      secretKeys.add(key);
      if (key in secretKeyPlaceholders) config[key] = secretKeyPlaceholders[key];
      else if (key.startsWith(`${NAMESPACE}:`)) encrypted.push(key);
      continue;
    }
    config[key] = value;
  }
  if (encrypted.length > 0) {
    throw new ConfigError(
      encrypted.map((key) => ({
        key,
        value: "[secret]",
        message:
          `is encrypted (secure:) and cannot be read offline; ` +
          `only ${Object.keys(secretKeyPlaceholders).join(", ")} may be secret`,
      })),
      source,
    );
  }
  return { stack: match[1], path, config, secretKeys };
}

function isSecure(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    "secure" in value
  );
}
