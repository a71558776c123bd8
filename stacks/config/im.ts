import { z } from "zod";

/** `warbler:im`: the ejabberd service. */
export const imSchema = z
  .strictObject({
    replicas: z.number().int().min(1).max(50).default(3).describe("ejabberd cluster nodes (StatefulSet replicas)."),
  })
  .describe("The ejabberd IM service.");

export type ImConfig = z.output<typeof imSchema>;
