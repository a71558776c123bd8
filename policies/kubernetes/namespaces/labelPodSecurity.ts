import { configOf, type WarblerResourcePolicy } from "../../policy";

const levels = ["privileged", "baseline", "restricted"] as const;
type Level = (typeof levels)[number];
const ENFORCE = "pod-security.kubernetes.io/enforce";

export const k8sPodSecurityLabels: WarblerResourcePolicy = {
  id: "kubernetes-pod-security-admission",
  name: "Namespaces enforce a Pod Security Standard",
  target: "kubernetes",
  what:
    "Every namespace the stack creates must carry the 'pod-security.kubernetes.io/enforce' label at the " +
    "configured minimum level (baseline by default; the IM namespace uses restricted).",
  why:
    "Pod Security Admission is the cluster's built-in guard: with the label, the API server itself refuses " +
    "privileged or host-sharing pods, even ones created outside this stack.",
  fix:
    "Add the label 'pod-security.kubernetes.io/enforce: restricted' (or baseline where a system component needs " +
    "it) to the Namespace's metadata.labels (the Warbler Kubernetes layer does this).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.9", "SOC2-CC6.8", "PCI-2.2.1", "CIS-K8S-5.2.1", "MLPS-8.1.4.4"],
  resourceTypes: ["kubernetes:core/v1:Namespace"],
  configSchema: {
    properties: {
      minimumLevel: {
        type: "string",
        enum: ["baseline", "restricted"],
        default: "baseline",
        description: "Lowest Pod Security level a namespace may enforce.",
      },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return args.notApplicable("not a Namespace");
    const { minimumLevel } = configOf<{ minimumLevel: Level }>(k8sPodSecurityLabels, args);
    const level = args.props.metadata?.labels?.[ENFORCE] as string | undefined;
    if (level === undefined) return report(`label ${ENFORCE} is missing`);
    if (!levels.includes(level as Level)) return report(`label ${ENFORCE} has the unknown level '${level}'`);
    if (levels.indexOf(level as Level) < levels.indexOf(minimumLevel))
      report(`${ENFORCE} is '${level}'; at least '${minimumLevel}' is required`);
  },
};
