import type { PlatformConfig } from "../config/schema";
import type { StandardTags } from "./contract";

/** The tags every kit puts on every taggable resource. */
export function standardTags(config: Pick<PlatformConfig, "tags" | "name">, stack: string): StandardTags {
  return {
    owner: config.tags.owner,
    "data-classification": config.tags.dataClassification,
    "managed-by": "warbler",
    "warbler-stack": `${config.name}-${stack}`,
    ...(config.tags.costCenter ? { "cost-center": config.tags.costCenter } : {}),
  };
}
