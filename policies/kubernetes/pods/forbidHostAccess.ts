import type { WarblerResourcePolicy } from "../../policy";
import { podSpecOf, workloadTypes } from "../../props";

export const k8sNoHostAccess: WarblerResourcePolicy = {
  id: "kubernetes-no-host-namespaces",
  name: "Pods do not share the node's network, processes or files",
  target: "kubernetes",
  what:
    "No pod may use the host's network (hostNetwork), process IDs (hostPID) or IPC (hostIPC), or mount a " +
    "hostPath volume.",
  why:
    "Host namespaces and hostPath mounts let a pod see other pods' traffic and processes or read the node's " +
    "files, including kubelet credentials; they break the isolation every other control relies on.",
  fix:
    "Remove hostNetwork, hostPID, hostIPC and hostPath volumes; use a Service for networking and persistent " +
    "volumes or emptyDir for storage.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.22",
    "ISO27001-A.8.3",
    "SOC2-CC6.1",
    "PCI-2.2.1",
    "CIS-K8S-5.2.3",
    "CIS-K8S-5.2.4",
    "CIS-K8S-5.2.5",
    "CIS-K8S-5.2.12",
    "MLPS-8.1.4.2",
  ],
  resourceTypes: workloadTypes,
  validateResource: (args, report) => {
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("not a workload");
    for (const key of ["hostNetwork", "hostPID", "hostIPC"] as const) if (spec[key] === true) report(`${key} is true`);
    for (const v of spec.volumes ?? []) if (v.hostPath !== undefined) report(`volume '${v.name}' mounts a hostPath`);
  },
};
