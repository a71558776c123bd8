import type { WarblerResourcePolicy } from "../../policy";
import { isSet, podSpecOf, workloadTypes } from "../../props";

export const k8sResourceLimits: WarblerResourcePolicy = {
  id: "kubernetes-resource-limits",
  name: "Containers declare resource requests and a memory limit",
  target: "kubernetes",
  what: "Every container should request CPU and memory and set a memory limit.",
  why:
    "Without requests the scheduler overcommits nodes; without a memory limit one leaking or attacked container " +
    "can starve the IM server of memory and take it down (denial of service).",
  fix:
    "Set 'resources: { requests: { cpu, memory }, limits: { memory } }' on each container (the Warbler charts " +
    "size these from the stack config).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.6", "SOC2-A1.2", "PCI-2.2.1", "MLPS-8.1.4.4"],
  resourceTypes: workloadTypes,
  validateResource: (args, report) => {
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("not a workload");
    for (const c of spec.containers ?? []) {
      const missing = [
        isSet(c.resources?.requests?.cpu) ? "" : "requests.cpu",
        isSet(c.resources?.requests?.memory) ? "" : "requests.memory",
        isSet(c.resources?.limits?.memory) ? "" : "limits.memory",
      ].filter(Boolean);
      if (missing.length > 0) report(`container '${c.name}' does not set ${missing.join(", ")}`);
    }
  },
};
