import { z } from "zod";

/** `warbler:failover`: this stack's role between two clouds. */
export const failoverSchema = z
  .strictObject({
    role: z.enum(["none", "primary", "standby"]).default("none").describe("This stack's role in cross-cloud failover."),
  })
  .describe("Cross-cloud failover role of this stack.");

export type FailoverConfig = z.output<typeof failoverSchema>;
