import type { k8s } from "cdk8s-plus-34";
import { type ImSizing, imNodePool } from "../../lib/im-sizing";
import { imNodeSysctls } from "../../lib/node-tuning";
import { resources } from "./pod-security";

/**
 * Where and how large an ejabberd pod is, from the sizing of one instance (lib/im-sizing.ts): alone on a node of the
 * dedicated pool every kit creates (its label and taint), one pod per node, with the CPU and memory of the sizing.
 */
export function ejabberdPlacement(
  selector: Record<string, string>,
): Pick<k8s.PodSpec, "nodeSelector" | "tolerations" | "affinity"> {
  const { label, taint } = imNodePool;
  return {
    nodeSelector: { [label.key]: label.value },
    tolerations: [{ key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect }],
    // Two instances on one node would each get half the memory they are sized for.
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } },
        ],
      },
    },
  };
}

/** The ejabberd container's requests and limits: memory is never overcommitted; CPU may burst above the request. */
export function ejabberdResources(sizing: ImSizing): k8s.ResourceRequirements {
  const { cpuRequest, cpuLimit, memoryGiB } = sizing.pod;
  return resources(String(cpuRequest), String(cpuLimit), `${memoryGiB}Gi`);
}

/**
 * The keepalive settings of lib/node-tuning.ts, in the pod's own network namespace: the node's values never reach a
 * pod, whose namespace starts from the kernel defaults (7,200 s). These three are namespaced and "safe" since
 * Kubernetes 1.29 (kubernetes.io/docs/reference/node/kernel-version-requirements/, "Pod sysctls"), so the kubelet
 * accepts them without allowed-unsafe-sysctls and Pod Security "restricted" admits them
 * (kubernetes.io/docs/concepts/security/pod-security-standards/, "Sysctls").
 */
export const ejabberdSysctls: k8s.Sysctl[] = (
  ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"] as const
).map((name) => ({ name, value: imNodeSysctls[name] }));
