import type { z } from "zod";
import { globalSchema } from "./global";
import { platformSchema } from "./schema";

/**
 * The kinds of stack, chosen by `warbler:kind`: a platform on one cloud
 * (the default) or the global stack that owns cross-cloud DNS failover.
 */
export const configSchemas = {
  platform: platformSchema,
  global: globalSchema,
} satisfies Record<string, z.ZodType>;

export type StackKind = keyof typeof configSchemas;
export type WarblerConfig = { [K in StackKind]: z.output<(typeof configSchemas)[K]> }[StackKind];
