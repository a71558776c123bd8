// The program the stock Pulumi CLI runs (`pulumi up -s aws`). It only reads
// the config; stacks/program.ts does the work, the same code the offline plan runs.
import * as pulumi from "@pulumi/pulumi";
import { buildStack } from "./program";
import { readEngineConfig } from "./pulumi-config";

export = buildStack(readEngineConfig(), pulumi.getStack());
