import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config/load";
import { readStackFile, STACKS_DIR } from "../config/stack-file";
import { FailedError, InputError } from "../lib/errors";
import type { PlanDocument } from "./document";
import { defaultPackConfigFile, readPackConfig } from "./pack-config";
import { PEER_OUTPUTS_ENV } from "./peers";

export type { PlanDocument, PlanViolation } from "./document";

const WORKER = join(__dirname, "worker.ts");

export interface PlanOptions {
  /**
   * Outputs of stacks planned earlier in the same run, by stack name; StackReferences to them resolve to these.
   * @default - none: every referenced output is fabricated
   */
  peerOutputs?: Record<string, Record<string, unknown>>;
  /** The policy pack config file. @default - `policy-config.json` beside the stack file if any, else none */
  policyConfig?: string;
}

/**
 * Plans one stack offline in a worker process and returns its plan document.
 * `stackOrPath` is a stack name from stacks/ or a path to a Pulumi.<stack>.yaml.
 * Bad config throws ConfigError (exit 2) listing every bad key.
 */
export async function planStack(stackOrPath: string, options: PlanOptions = {}): Promise<PlanDocument> {
  // Validate here first: bad config fails without a worker. The registry is loaded only now because it brings
  // every cloud SDK, which commands that plan nothing should not pay for.
  const file = readStackFile(stackOrPath);
  const { kitDescriptors }: typeof import("../components/kits") = require("../components/kits");
  loadConfig(file.config, { cloudRules: kitDescriptors, secretKeys: file.secretKeys, source: file.path });
  const packConfigFile = options.policyConfig ?? defaultPackConfigFile(file.path);
  readPackConfig(packConfigFile);
  const dir = mkdtempSync(join(tmpdir(), "warbler-plan-"));
  const outFile = join(dir, "plan.json");
  const env = { ...process.env };
  if (options.peerOutputs) {
    env[PEER_OUTPUTS_ENV] = join(dir, "peers.json");
    writeFileSync(env[PEER_OUTPUTS_ENV], JSON.stringify(options.peerOutputs));
  }
  return new Promise<PlanDocument>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", WORKER, stackOrPath, outFile, ...(packConfigFile ? [packConfigFile] : [])],
      {
        stdio: ["ignore", "inherit", "pipe"],
        env,
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        if (code === 0) resolve(JSON.parse(readFileSync(outFile, "utf8")) as PlanDocument);
        else if (code === 2) reject(new InputError(stderr.trim()));
        else reject(new FailedError(`planning '${stackOrPath}' failed:\n${stderr.trim()}`));
      } catch (err) {
        reject(err);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/**
 * The example stacks in stacks/, platform stacks first: the global stack
 * reads their outputs.
 */
export function exampleStacks(): string[] {
  const names = readdirSync(STACKS_DIR)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined);
  return names.sort((a, b) => Number(a === "global") - Number(b === "global") || a.localeCompare(b));
}
