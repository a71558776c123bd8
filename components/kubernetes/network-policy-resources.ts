import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import type * as pulumi from "@pulumi/pulumi";
import type { NamedNetworkPolicy } from "./system-network-policies";

/**
 * Applies the policies in `namespace`, each named `${name}-${policy.name}`.
 * Pass the Namespace's `metadata.name` Output, so the policies wait for it.
 */
export function applyNetworkPolicies(
  name: string,
  namespace: pulumi.Input<string>,
  policies: NamedNetworkPolicy[],
  labels: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): NetworkPolicy[] {
  return policies.map(
    (policy) =>
      new NetworkPolicy(
        `${name}-${policy.name}`,
        { metadata: { name: policy.name, namespace, labels }, spec: policy.spec },
        opts,
      ),
  );
}
