/** Namespace labels: ownership for the policies, and the Pod Security level the API server enforces. */
export function namespaceLabels(
  labels: Record<string, string>,
  level: "restricted" | "baseline" | "privileged",
): Record<string, string> {
  return {
    ...labels,
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
  };
}
