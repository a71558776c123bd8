import type { WarblerResourcePolicy } from "../../policy";
import { containersOf, podSpecOf, workloadTypes } from "../../props";

export const k8sRunAsNonRoot: WarblerResourcePolicy = {
  id: "kubernetes-run-as-non-root",
  name: "Containers run as a non-root user",
  target: "kubernetes",
  what:
    "Every container must run as a non-root user: runAsNonRoot true (on the pod or the container) and never " +
    "runAsUser 0.",
  why: "A process running as root inside the container is one kernel bug away from root on the node.",
  fix:
    "Set 'securityContext: { runAsNonRoot: true, runAsUser: <uid above 0> }' on the pod or each container, and " +
    "use an image that runs as that user (the Warbler charts do this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.2", "SOC2-CC6.1", "PCI-2.2.1", "PCI-7.2.1", "CIS-K8S-5.2.7", "MLPS-8.1.4.2"],
  resourceTypes: workloadTypes,
  validateResource: (args, report) => {
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("not a workload");
    const pod = spec.securityContext ?? {};
    for (const c of containersOf(spec)) {
      const sc = c.securityContext ?? {};
      const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
      const user = sc.runAsUser ?? pod.runAsUser;
      if (user === 0) report(`container '${c.name}' runs as user 0 (root)`);
      else if (nonRoot !== true) report(`container '${c.name}' does not set runAsNonRoot: true`);
    }
  },
};
