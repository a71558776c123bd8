import * as pulumi from "@pulumi/pulumi";
import { kitDescriptors } from "../components/kits";
import type { WarblerConfig } from "../config/kinds";
import { loadConfig } from "../config/load";

/**
 * The language host lists the keys set with `--secret` in this variable
 * (`@pulumi/pulumi` reads it the same way), so errors can redact any of them.
 */
const SECRET_KEYS_ENV = "PULUMI_CONFIG_SECRET_KEYS";

/** Reads and validates this stack's config as the Pulumi engine hands it over. */
export function readEngineConfig(): WarblerConfig {
  return loadConfig(pulumi.runtime.allConfig(), {
    cloudRules: kitDescriptors,
    secretKeys: engineSecretKeys(process.env[SECRET_KEYS_ENV]),
    source: `of stack '${pulumi.getStack()}'`,
  });
}

/** Secret keys from the engine's JSON list; older engines spell them `ns:config:key`. */
export function engineSecretKeys(json: string | undefined): Set<string> {
  let keys: unknown;
  try {
    keys = JSON.parse(json ?? "[]");
  } catch {
    return new Set();
  }
  return new Set(
    Array.isArray(keys)
      ? keys.filter((k): k is string => typeof k === "string").map((k) => k.replace(/^([^:]+):config:/, "$1:"))
      : [],
  );
}
