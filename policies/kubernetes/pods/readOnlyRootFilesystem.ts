import type { WarblerResourcePolicy } from "../../policy";
import { containersOf, podSpecOf, workloadTypes } from "../../props";

export const k8sReadOnlyRootFs: WarblerResourcePolicy = {
  id: "kubernetes-read-only-root-filesystem",
  name: "Containers have a read-only root filesystem",
  target: "kubernetes",
  what: "Every container should mount its root filesystem read-only, writing only to explicit volumes.",
  why:
    "An attacker who gets code execution cannot then drop tools or modify binaries inside the container, and a " +
    "read-only image is what was tested.",
  fix:
    "Set 'securityContext.readOnlyRootFilesystem: true' and mount an emptyDir for directories the program " +
    "writes (the Warbler charts do this).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.9", "ISO27001-A.8.19", "SOC2-CC6.8", "PCI-2.2.1", "MLPS-8.1.4.4"],
  resourceTypes: workloadTypes,
  validateResource: (args, report) => {
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("not a workload");
    for (const c of containersOf(spec)) {
      if (c.securityContext?.readOnlyRootFilesystem !== true)
        report(`container '${c.name}' has a writable root filesystem`);
    }
  },
};
