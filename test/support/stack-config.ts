import assert from "node:assert/strict";
import { kitDescriptors } from "../../components/kits";
import { ConfigError, loadConfig } from "../../config/load";
import { readStackFile } from "../../config/stack-file";

/** A valid platform config as raw stack-file keys: the AWS example stack's. */
export function exampleRawConfig(stack = "aws"): Record<string, unknown> {
  return structuredClone(readStackFile(stack).config);
}

/** Sets `value` at a dotted path below a fully-qualified key, e.g. ("warbler:database", "backupRetentionDays"). */
export function withValue(
  raw: Record<string, unknown>,
  key: string,
  path: (string | number)[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(raw);
  if (path.length === 0) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  }
  copy[key] ??= {};
  let node = copy[key] as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

/** The message of the ConfigError `raw` is rejected with; fails the test when it is accepted. */
export function configProblems(raw: Record<string, unknown>): string {
  try {
    loadConfig(raw, { cloudRules: kitDescriptors });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail("expected the config to be rejected");
}
