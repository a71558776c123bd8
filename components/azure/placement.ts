import type * as pulumi from "@pulumi/pulumi";

/** Where every Azure resource of a kit goes, and the tags it carries. */
export interface AzurePlacement {
  /** The kit's resource group. */
  resourceGroupName: pulumi.Input<string>;
  /** The stack's region, e.g. westeurope. */
  location: string;
  /** standardTags(config, stack); put on every taggable resource. */
  tags: Record<string, string>;
}
