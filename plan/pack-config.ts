import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "../lib/errors";
import { type PackConfig, PackConfigError, validatePackConfig } from "../policies/harness";

/**
 * The pack config a stack is checked with when none is named: `policy-config.json` beside its stack file, as
 * `pulumi preview --policy-pack policies --policy-pack-config stacks/policy-config.json` would use it.
 */
export const PACK_CONFIG_FILE = "policy-config.json";

/** The pack config file for the stack file at `stackPath`, if its directory has one. */
export function defaultPackConfigFile(stackPath: string): string | undefined {
  const file = join(dirname(stackPath), PACK_CONFIG_FILE);
  return existsSync(file) ? file : undefined;
}

/** Reads and parses a JSON file, turning every failure into a message for the user (exit 2). */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(
      `cannot read ${what} ` +
        `'${file}': ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${what} '${file}' is not valid JSON: ${(err as Error).message}`);
  }
}

/** The policy config file (`--config`), validated against the pack. */
export function readPackConfig(file: string | undefined): PackConfig {
  if (file === undefined) return {};
  const json = readJsonFile(file, "policy config");
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InputError(`policy config '${file}' must be a JSON object keyed by policy id`);
  }
  try {
    validatePackConfig(json as PackConfig);
  } catch (err) {
    if (err instanceof PackConfigError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
  return json as PackConfig;
}
