import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import { engineSecretKeys } from "../../../stacks/pulumi-config";
import { exampleRawConfig } from "../../support/stack-config";

describe("config the Pulumi engine marks secret", () => {
  it("reads the engine's list of secret keys in both spellings, and tolerates a malformed one", () => {
    assert.deepEqual([...engineSecretKeys('["warbler:domain","warbler:config:acme"]')].sort(), [
      "warbler:acme",
      "warbler:domain",
    ]);
    assert.deepEqual([...engineSecretKeys("not json")], []);
    assert.deepEqual([...engineSecretKeys(undefined)], []);
  });

  it("never echoes a value set with --secret in a config error", () => {
    const raw = { ...exampleRawConfig(), "warbler:domain": "Not_A_Host.Secret-Value" };
    assert.throws(
      () => loadConfig(raw, { cloudRules: kitDescriptors, secretKeys: engineSecretKeys('["warbler:domain"]') }),
      (err: Error) => /'warbler:domain' \("\[secret\]"\)/.test(err.message) && !err.message.includes("Secret-Value"),
    );
  });
});
