import type { WarblerResourcePolicy } from "../../policy";
import { containersOf, podSpecOf, workloadTypes } from "../../props";

/** The one capability a non-root server may need, to bind ports below 1024. */
const allowedCapabilities = ["NET_BIND_SERVICE"];

export const k8sNoPrivilege: WarblerResourcePolicy = {
  id: "kubernetes-no-privileged-containers",
  name: "Containers run without privilege",
  target: "kubernetes",
  what:
    "No container may run privileged, allow privilege escalation, or add Linux capabilities other than " +
    "NET_BIND_SERVICE; every container must set allowPrivilegeEscalation: false.",
  why:
    "A privileged container, or one that can gain privileges, can escape to the node and from there read every " +
    "other pod's secrets and data.",
  fix:
    "In each container's securityContext set 'privileged: false' (or leave it unset), " +
    "'allowPrivilegeEscalation: false' and 'capabilities: { drop: [\"ALL\"] }', adding back only " +
    "NET_BIND_SERVICE if needed (the Warbler charts do this).",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.2",
    "ISO27001-A.8.9",
    "SOC2-CC6.1",
    "SOC2-CC6.8",
    "PCI-2.2.1",
    "PCI-7.2.1",
    "CIS-K8S-5.2.2",
    "CIS-K8S-5.2.6",
    "CIS-K8S-5.2.9",
    "MLPS-8.1.4.2",
  ],
  resourceTypes: workloadTypes,
  validateResource: (args, report) => {
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("not a workload");
    for (const c of containersOf(spec)) {
      const sc = c.securityContext ?? {};
      if (sc.privileged === true) report(`container '${c.name}' is privileged`);
      if (sc.allowPrivilegeEscalation !== false)
        report(`container '${c.name}' does not set allowPrivilegeEscalation: false`);
      const added = (sc.capabilities?.add ?? []).filter((cap) => !allowedCapabilities.includes(cap));
      if (added.length > 0) report(`container '${c.name}' adds capabilities ${added.join(", ")}`);
    }
  },
};
