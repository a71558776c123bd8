import { ApiObject } from "cdk8s";
import type { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";

/**
 * The Gateway API (gateway.networking.k8s.io) and Envoy Gateway (gateway.envoyproxy.io/v1alpha1) objects the chart
 * emits, typed by hand for the fields it sets: kubernetes-models ships neither. Each field is named as the CRD schema
 * of the pinned releases names it (Gateway API v1.6 CRDs, which Envoy Gateway v1.9 requires; Envoy Gateway's
 * api/v1alpha1 Go types); test/chart/gateway-schema.ts writes those facts out, and
 * test/chart/gateway-objects.test.ts checks the rendered objects against them.
 */

/** A reference to a parent Gateway and, optionally, one of its listeners (`sectionName`). */
export interface ParentReference {
  readonly name: string;
  readonly namespace?: string;
  readonly sectionName?: string;
}

export interface GatewayListener {
  readonly name: string;
  readonly protocol: "HTTP" | "HTTPS" | "TLS" | "TCP" | "UDP";
  readonly port: number;
  readonly hostname?: string;
  readonly tls?: {
    readonly mode: "Terminate" | "Passthrough";
    readonly certificateRefs: readonly { readonly kind: "Secret"; readonly name: string }[];
  };
  readonly allowedRoutes?: { readonly namespaces: { readonly from: "Same" | "All" | "Selector" } };
}

export interface GatewaySpec {
  readonly gatewayClassName: string;
  readonly listeners: readonly GatewayListener[];
}

export interface HTTPHeaderFilterSpec {
  readonly set?: readonly { readonly name: string; readonly value: string }[];
}

export type HTTPRouteFilter =
  | {
      readonly type: "RequestRedirect";
      readonly requestRedirect: { readonly scheme: "https"; readonly statusCode: 301 | 302 };
    }
  | { readonly type: "ResponseHeaderModifier"; readonly responseHeaderModifier: HTTPHeaderFilterSpec };

export interface HTTPBackendRef {
  readonly name: string;
  readonly namespace?: string;
  readonly port: number;
}

export interface HTTPRouteRule {
  /** A rule's name, which a policy's `sectionName` may select. */
  readonly name?: string;
  readonly matches?: readonly { readonly path: { readonly type: "Exact" | "PathPrefix"; readonly value: string } }[];
  readonly filters?: readonly HTTPRouteFilter[];
  readonly backendRefs?: readonly HTTPBackendRef[];
}

export interface HTTPRouteSpec {
  readonly parentRefs: readonly ParentReference[];
  readonly hostnames: readonly string[];
  readonly rules: readonly HTTPRouteRule[];
}

export interface ReferenceGrantSpec {
  readonly from: readonly { readonly group: string; readonly kind: string; readonly namespace: string }[];
  readonly to: readonly { readonly group: string; readonly kind: string; readonly name?: string }[];
}

/** `targetRefs` of an Envoy Gateway policy: objects in the policy's own namespace. */
export interface PolicyTargetReference {
  readonly group: "gateway.networking.k8s.io";
  readonly kind: "Gateway" | "HTTPRoute";
  readonly name: string;
}

export interface ClientTrafficPolicySpec {
  readonly targetRefs: readonly PolicyTargetReference[];
  /** Present: every connection must start with a PROXY header (`optional` false), whose address is the client's. */
  readonly proxyProtocol?: { readonly optional: boolean };
  readonly tls?: { readonly minVersion: "1.2" | "1.3"; readonly ciphers: readonly string[] };
  readonly timeout?: { readonly http: { readonly idleTimeout: string } };
}

export interface BackendTrafficPolicySpec {
  readonly targetRefs: readonly PolicyTargetReference[];
  /**
   * Envoy sends a PROXY header of this version on each connection to the backends of the targeted routes
   * (`spec.proxyProtocol.version`, V1 or V2: api/v1alpha1/proxyprotocol_types.go; the shape used in
   * envoyproxy/gateway#6388 and gitlab-org/charts/gitlab!5207).
   */
  readonly proxyProtocol?: { readonly version: "V1" | "V2" };
}

export interface SecurityPolicySpec {
  readonly targetRefs: readonly PolicyTargetReference[];
  readonly authorization: {
    readonly defaultAction: "Allow" | "Deny";
    readonly rules: readonly {
      readonly name?: string;
      readonly action: "Allow" | "Deny";
      readonly principal: { readonly clientCIDRs: readonly string[] };
    }[];
  };
}

interface Props<Spec> {
  readonly metadata: k8s.ObjectMeta;
  readonly spec: Spec;
}

const object = (apiVersion: string, kind: string) =>
  class extends ApiObject {
    constructor(scope: Construct, id: string, props: Props<unknown>) {
      super(scope, id, { apiVersion, kind, ...props });
    }
  };

const gatewayApi = "gateway.networking.k8s.io";
const envoyGateway = "gateway.envoyproxy.io/v1alpha1";

/** Typed constructors, one per kind. */
export const gatewayObjects = {
  Gateway: object(`${gatewayApi}/v1`, "Gateway") as new (s: Construct, id: string, p: Props<GatewaySpec>) => ApiObject,
  HTTPRoute: object(`${gatewayApi}/v1`, "HTTPRoute") as new (
    s: Construct,
    id: string,
    p: Props<HTTPRouteSpec>,
  ) => ApiObject,
  ReferenceGrant: object(`${gatewayApi}/v1`, "ReferenceGrant") as new (
    s: Construct,
    id: string,
    p: Props<ReferenceGrantSpec>,
  ) => ApiObject,
  ClientTrafficPolicy: object(envoyGateway, "ClientTrafficPolicy") as new (
    s: Construct,
    id: string,
    p: Props<ClientTrafficPolicySpec>,
  ) => ApiObject,
  BackendTrafficPolicy: object(envoyGateway, "BackendTrafficPolicy") as new (
    s: Construct,
    id: string,
    p: Props<BackendTrafficPolicySpec>,
  ) => ApiObject,
  SecurityPolicy: object(envoyGateway, "SecurityPolicy") as new (
    s: Construct,
    id: string,
    p: Props<SecurityPolicySpec>,
  ) => ApiObject,
};
