import { type ApiObject, App, Chart } from "cdk8s";
import { k8s } from "cdk8s-plus-34";

/** One synthesized Kubernetes object, as plain JSON. */
export type Manifest = Record<string, unknown> & { metadata: Record<string, unknown> };

/** A scope for one object: the failover objects are created one by one, each from names the previous ones got. */
export function scope(): Chart {
  return new Chart(new App(), "warbler-failover");
}

/** The object as JSON, with the name cdk8s gave it. */
export function named(object: ApiObject): Manifest {
  return object.toJson() as Manifest;
}

/**
 * The object as JSON without a name. The deployer names it (Pulumi adds a
 * random suffix), so an object whose spec cannot change in place (a Job's
 * template) is replaced by a new one before the old one is deleted.
 */
export function unnamed(object: ApiObject): Manifest {
  const { metadata, ...rest } = named(object);
  const { name: _generated, ...kept } = metadata;
  return { ...rest, metadata: kept };
}

/** What every failover object carries. */
export interface FailoverObjectProps {
  /** Namespace of the object. */
  readonly namespace: string;
  /** Labels of every object: owner, data-classification, part-of. */
  readonly labels: Record<string, string>;
}

/** Pod Security "restricted" for a container: non-root, read-only root, no privilege escalation, no capabilities. */
export const restrictedContainer: k8s.SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** Egress to cluster DNS on both protocols, which every failover pod needs. */
export const dnsEgress: k8s.NetworkPolicyEgressRule = { ports: [port("UDP", 53), port("TCP", 53)] };

export function port(protocol: "TCP" | "UDP", number: number): k8s.NetworkPolicyPort {
  return { protocol, port: k8s.IntOrString.fromNumber(number) };
}
