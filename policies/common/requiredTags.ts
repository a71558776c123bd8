import { configOf, type Target, type WarblerResourcePolicy } from "../policy";
import { missingKeys } from "../props";

/** The tag (label) keys every taggable resource carries; the kits set them from `warbler:tags`. */
export const requiredTagKeys = ["owner", "data-classification"] as const;

const schema = {
  properties: {
    requiredTags: {
      type: "array",
      items: { type: "string" },
      default: [...requiredTagKeys],
      description: "Tag keys that must be present with a non-empty value.",
    },
  },
} as const;

/**
 * The same tagging rule for each cloud: the resource types differ and so does
 * where tags live (`tags` on every cloud's SDK), the rule does not.
 */
export function requiredTagsPolicy(
  target: Target,
  cloudName: string,
  resourceTypes: readonly string[],
): WarblerResourcePolicy {
  const policy: WarblerResourcePolicy = {
    id: `${target}-required-tags`,
    name: `${cloudName} resources carry owner and data-classification tags`,
    target,
    what:
      `Every ${cloudName} resource that supports tags must carry an 'owner' tag and a 'data-classification' tag ` +
      `with non-empty values.`,
    why:
      "Without an accountable owner and a classification, nobody can tell who answers for a resource or what " +
      "protection the data in it needs, and asset inventories and data-protection impact assessments cannot be " +
      "kept current.",
    fix:
      "Set 'warbler:tags' (owner and dataClassification) in the stack file; the kits copy them onto every " +
      "resource. For resources you add yourself, pass the same tags.",
    severity: "low",
    enforcementLevel: "advisory",
    controls: ["ISO27001-A.5.9", "ISO27001-A.5.12", "ISO27001-A.5.13", "SOC2-CC2.1", "PCI-12.5.1", "MLPS-8.1.5.4"],
    resourceTypes,
    configSchema: schema,
    validateResource: (args, report) => {
      if (!resourceTypes.includes(args.type))
        args.notApplicable("resource type takes no tags or is not part of the kit");
      const { requiredTags } = configOf<{ requiredTags: string[] }>(policy, args);
      const missing = missingKeys(args.props.tags, requiredTags);
      if (missing.length > 0)
        report(`missing tag(s) ${missing.map((k) => `'${k}'`).join(", ")}; required: ${requiredTags.join(", ")}`);
    },
  };
  return policy;
}
