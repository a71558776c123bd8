import { requiredTagKeys } from "../../common/requiredTags";
import { configOf, type WarblerResourcePolicy } from "../../policy";
import { missingKeys } from "../../props";

export const k8sRequiredLabels: WarblerResourcePolicy = {
  id: "kubernetes-required-labels",
  name: "Namespaces carry owner and data-classification labels",
  target: "kubernetes",
  what:
    "Every namespace the stack creates must carry 'owner' and 'data-classification' labels with non-empty " +
    "values, like every cloud resource.",
  why:
    "Cluster tenants and the data they process must be attributable and classified; the labels let inventories " +
    "and cost and incident tooling find the accountable team.",
  fix:
    "Add the labels to the Namespace's metadata.labels (the Warbler Kubernetes layer copies them from " +
    "'warbler:tags').",
  severity: "low",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.5.9", "ISO27001-A.5.12", "ISO27001-A.5.13", "SOC2-CC2.1", "PCI-12.5.1", "MLPS-8.1.5.4"],
  resourceTypes: ["kubernetes:core/v1:Namespace"],
  configSchema: {
    properties: {
      requiredLabels: {
        type: "array",
        items: { type: "string" },
        default: [...requiredTagKeys],
        description: "Label keys that must be present.",
      },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return args.notApplicable("not a Namespace");
    const { requiredLabels } = configOf<{ requiredLabels: string[] }>(k8sRequiredLabels, args);
    const missing = missingKeys(args.props.metadata?.labels, requiredLabels);
    if (missing.length > 0) report(`missing label(s) ${missing.map((k) => `'${k}'`).join(", ")}`);
  },
};
