import type { PolicyResource } from "@pulumi/policy";
import type { WarblerStackPolicy } from "../../policy";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

function metadataName(r: PolicyResource): string | undefined {
  const name = r.props.metadata?.name;
  return typeof name === "string" ? name : undefined;
}

export const k8sNamespaceNetworkPolicy: WarblerStackPolicy = {
  id: "kubernetes-namespace-network-policy",
  name: "Every namespace has a NetworkPolicy",
  target: "kubernetes",
  what:
    "Every namespace the stack creates must contain at least one NetworkPolicy (Warbler puts a default-deny " +
    "policy plus explicit allows in each).",
  why:
    "Without a NetworkPolicy every pod can reach every other pod in the cluster, so one compromised component " +
    "can talk straight to the database credentials or the IM admin API.",
  fix:
    "Create a 'networking.k8s.io/v1' NetworkPolicy in the namespace, starting with a default deny of ingress " +
    "and egress, then allow the flows the service needs (the Warbler Kubernetes layer does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.22", "ISO27001-A.8.20", "SOC2-CC6.6", "PCI-1.3.1", "CIS-K8S-5.3.2", "MLPS-8.1.3.2"],
  resourceTypes: [NAMESPACE, NETPOL],
  validateStack: (args, report) => {
    const namespaces = args.resources.filter((r) => r.type === NAMESPACE);
    if (namespaces.length === 0) args.notApplicable("the stack creates no namespace");
    const covered = new Set(
      args.resources.filter((r) => r.type === NETPOL).map((r) => r.props.metadata?.namespace as string | undefined),
    );
    for (const ns of namespaces) {
      // Pulumi auto-names a Namespace when metadata.name is unset; its name then starts with the logical name.
      const name = metadataName(ns);
      const hit = name !== undefined ? covered.has(name) : [...covered].some((c) => c?.startsWith(`${ns.name}-`));
      if (!hit) report(`namespace '${name ?? ns.name}' has no NetworkPolicy`, ns.urn);
    }
  },
};
