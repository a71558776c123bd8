import { CustomResource } from "@pulumi/kubernetes/apiextensions";
import { Namespace } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import type { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { RegistryMirror } from "../../lib/registry-mirror";
import type { ClusterOutputs } from "../contract";
import { envoyGatewayMirrorValues, envoyProxyImage, releaseChart } from "./mirror-values";
import { namespaceLabels } from "./namespace-labels";
import { applyNetworkPolicies } from "./network-policy-resources";
import { envoyGatewayNetworkPolicies } from "./system-network-policies";
import { helmCharts } from "./versions";

/** The GatewayClass the IM chart's Gateway names, its EnvoyProxy, and the fixed name of the proxies' Service. */
export const edgeNames = {
  gatewayClass: "warbler",
  envoyProxy: "warbler-edge",
  /** Fixed (EnvoyProxy `envoyService.name`) so the layer can read its address; else Envoy Gateway hashes one. */
  service: "envoy-warbler",
} as const;

/** Envoy Gateway's controller name, which a GatewayClass must name for it to take the class. */
export const envoyGatewayControllerName = "gateway.envoyproxy.io/gatewayclass-controller";

/**
 * How long a proxy pod that is being replaced keeps serving its established connections: WebSocket sessions are
 * long-lived, so far longer than Envoy Gateway's 60 s default. A new pod takes new connections meanwhile.
 */
export const proxyDrain = { drainTimeoutSeconds: 900, minDrainDurationSeconds: 10 } as const;

/** What of the kit's load balancer the EnvoyProxy needs. */
export type EdgeLoadBalancer = Pick<ClusterOutputs["loadBalancer"], "tcpAnnotations" | "externalTrafficPolicy">;

/**
 * The EnvoyProxy spec: the proxies' LoadBalancer Service with the kit's annotations and traffic policy (the per-cloud
 * part of the edge), three replicas with a PDB, and a long drain on rollout. Field names as in Envoy Gateway's
 * api/v1alpha1 (envoyproxy_types.go `EnvoyProxyKubernetesProvider`, shared_types.go `KubernetesServiceSpec`:
 * annotations, type, externalTrafficPolicy, name; `ShutdownConfig`: drainTimeout, minDrainDuration). Pure.
 */
export function envoyProxySpec(loadBalancer: EdgeLoadBalancer, image?: string): Record<string, unknown> {
  return {
    provider: {
      type: "Kubernetes",
      kubernetes: {
        envoyService: {
          name: edgeNames.service,
          type: "LoadBalancer",
          annotations: loadBalancer.tcpAnnotations,
          externalTrafficPolicy: loadBalancer.externalTrafficPolicy,
        },
        envoyDeployment: {
          replicas: 3,
          container: {
            // The proxy image through the registry mirror; unset, Envoy Gateway's default for its release.
            ...(image ? { image } : {}),
            resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "2", memory: "1Gi" } },
          },
        },
        envoyPDB: { minAvailable: 2 },
      },
    },
    shutdown: {
      drainTimeout: `${proxyDrain.drainTimeoutSeconds}s`,
      minDrainDuration: `${proxyDrain.minDrainDurationSeconds}s`,
    },
  };
}

export interface EnvoyGatewayArgs {
  /** The cluster's provider (the kit's `cluster.provider`). @default - none, required */
  provider: Provider;
  /** The kit's TCP load balancer: Service annotations and external traffic policy. @default - none, required */
  loadBalancer: EdgeLoadBalancer;
  /** owner and data-classification labels for the namespace and objects. @default - none, required */
  labels: Record<string, string>;
  /** `warbler:cluster.registryMirror`: the chart and images are pulled through it. @default - the upstream ones */
  registryMirror?: RegistryMirror;
}

/**
 * Envoy Gateway from its pinned Helm chart (with the Gateway API CRDs), the EnvoyProxy that carries the cloud's
 * load-balancer settings, and the GatewayClass that points at it. The IM chart brings the Gateway and routes.
 */
export class EnvoyGateway extends pulumi.ComponentResource {
  readonly release: Release;
  readonly gatewayClass: CustomResource;
  readonly namespace = helmCharts.envoyGateway.namespace;

  constructor(name: string, args: EnvoyGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:kubernetes:EnvoyGateway", name, {}, opts);
    const pin = helmCharts.envoyGateway;
    const options = { parent: this, provider: args.provider };
    const ns = new Namespace(
      `${name}-namespace`,
      // Enforced at "baseline": the proxies' and the certgen Job's security contexts are the chart's and Envoy
      // Gateway's, not promised "restricted" across releases; audit and warn report any gap.
      { metadata: { name: pin.namespace, labels: namespaceLabels(args.labels, "baseline") } },
      options,
    );
    const policies = applyNetworkPolicies(name, ns.metadata.name, envoyGatewayNetworkPolicies(), args.labels, options);
    this.release = new Release(
      `${name}-release`,
      {
        name: pin.release,
        ...releaseChart(pin, args.registryMirror),
        version: pin.version,
        namespace: ns.metadata.name,
        atomic: true,
        values: envoyGatewayMirrorValues(args.registryMirror),
      },
      // The certgen hook Job starts under default deny: its allows must exist first.
      { ...options, dependsOn: policies },
    );
    const envoyProxy = new CustomResource(
      `${name}-envoy-proxy`,
      {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyProxy",
        metadata: { name: edgeNames.envoyProxy, namespace: ns.metadata.name, labels: args.labels },
        spec: envoyProxySpec(args.loadBalancer, envoyProxyImage(args.registryMirror)),
      },
      { ...options, dependsOn: [this.release] },
    );
    this.gatewayClass = new CustomResource(
      `${name}-gateway-class`,
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "GatewayClass",
        metadata: { name: edgeNames.gatewayClass, labels: args.labels },
        spec: {
          controllerName: envoyGatewayControllerName,
          parametersRef: {
            group: "gateway.envoyproxy.io",
            kind: "EnvoyProxy",
            name: edgeNames.envoyProxy,
            namespace: pin.namespace,
          },
        },
      },
      { ...options, dependsOn: [envoyProxy] },
    );
    this.registerOutputs({});
  }
}
