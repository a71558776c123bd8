import * as pulumi from "@pulumi/pulumi";
import type { WarblerConfig } from "./config/kinds";
import { loadConfig } from "./config/load";

/** Reads and validates this stack's config as the Pulumi engine hands it over. */
export function readEngineConfig(): WarblerConfig {
  return loadConfig(pulumi.runtime.allConfig(), { source: `of stack '${pulumi.getStack()}'` });
}
