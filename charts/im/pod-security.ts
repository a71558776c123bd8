import { k8s } from "cdk8s-plus-34";

/** Container settings that satisfy Pod Security "restricted", and more: read-only root, no capabilities at all. */
export const restrictedContainer: k8s.SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * Container settings for images whose binary carries the file capability `cap_net_bind_service=+ep` (ProcessOne's
 * ejabberd and eturnal images set it on beam.smp). The kernel refuses to exec a file whose permitted capabilities
 * exceed the bounding set when no_new_privs is set, so dropping ALL makes exec fail with EPERM; Pod Security
 * "restricted" allows adding back exactly this one capability (kubernetes.io/docs/concepts/security/
 * pod-security-standards, "Capabilities"). test/e2e/file-capabilities.test.ts reproduces the rule with setpriv.
 */
export const netBindServiceContainer: k8s.SecurityContext = {
  ...restrictedContainer,
  capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
};

/**
 * Pod settings for images whose user is uid/gid `id`. ProcessOne's ejabberd and eturnal images create their user
 * with uid and gid 9000 (`ARG UID='9000'`, `adduser -u $UID` in their container Dockerfiles).
 */
export function restrictedPod(id: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: id,
    runAsGroup: id,
    fsGroup: id,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Requests equal to limits for memory (no OOM surprises under load), CPU limit above the request for bursts. */
export function resources(cpuRequest: string, cpuLimit: string, memory: string): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(cpuRequest), memory: k8s.Quantity.fromString(memory) },
    limits: { cpu: k8s.Quantity.fromString(cpuLimit), memory: k8s.Quantity.fromString(memory) },
  };
}

/** Spread replicas over zones (hard) and nodes (soft), so losing a zone leaves the rest serving. */
export function spreadOverZones(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: selector },
    },
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: selector },
    },
  ];
}

/** A writable scratch directory; everything else in the container is read-only. */
export function scratch(name: string, sizeLimit: string): k8s.Volume {
  return { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } };
}
