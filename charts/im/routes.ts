import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { Certificate } from "./crds";
import { ejabberdNames, ejabberdSelector } from "./ejabberd";
import { tlsCiphers } from "./ejabberd-config";
import {
  gatewayObjects as gw,
  type HTTPRouteFilter,
  type HTTPRouteSpec,
  type PolicyTargetReference,
} from "./gateway-api";
import { imGatewayName, imNamespace, imPorts, type ResolvedImChartProps } from "./props";
import { uploadServiceName } from "./upload-service";

/**
 * A backend Service's promise that its port expects a PROXY protocol header of this version first on every
 * connection. ejabberd's listener config lives in a ConfigMap, so the Service carries it in a form the policy pack
 * (kubernetes-gateway-proxy-protocol) can compare with the BackendTrafficPolicy that sends the header.
 */
export const proxyProtocolAnnotation = "warbler.io/proxy-protocol";

/** ejabberd's listener behind the Gateway (use_proxy_protocol) and the Service the routes send to. */
export const ejabberdGateway = { service: "ejabberd-gateway", port: 5281 } as const;

/** The Gateway's listeners; `http` only redirects to https (and serves cert-manager's HTTP-01 challenges). */
export const gatewayListeners = { https: "https", http: "http" } as const;

/** Names of the routes, for the policies that target them and for tests. */
export const routeNames = {
  redirect: "im-http-redirect",
  websocket: "im-websocket",
  uploads: "im-uploads",
  admin: "im-admin",
  grafana: "im-grafana",
} as const;

/** Two years, the HSTS preload list's minimum. */
export const hstsMaxAgeSeconds = 63072000;

const hsts: HTTPRouteFilter = {
  type: "ResponseHeaderModifier",
  responseHeaderModifier: {
    set: [{ name: "Strict-Transport-Security", value: `max-age=${hstsMaxAgeSeconds}; includeSubDomains` }],
  },
};

/** An HTTPRoute on the Gateway's HTTPS listener. */
type AddRoute = (name: string, spec: Omit<HTTPRouteSpec, "parentRefs">) => void;

const target = (kind: PolicyTargetReference["kind"], name: string): PolicyTargetReference => ({
  group: "gateway.networking.k8s.io",
  kind,
  name,
});

/**
 * The edge objects of the IM namespace: the certificate, one Gateway (HTTPS 443 for clients, HTTP 80 that only
 * redirects), the routes, and Envoy Gateway's policies on them. The admin routes (/api, /admin, /grafana) exist only
 * when `adminCidrs` names networks, and always with the SecurityPolicy that admits only those.
 */
export function addRoutes(scope: Construct, props: ResolvedImChartProps, meta: (name: string) => k8s.ObjectMeta): void {
  const hosts = [props.domain, props.uploads.host];
  new Certificate(scope, "ejabberd-certificate", {
    metadata: meta(ejabberdNames.tlsSecret),
    spec: {
      secretName: ejabberdNames.tlsSecret,
      dnsNames: hosts,
      issuerRef: { name: props.clusterIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      renewBefore: "720h",
      // ejabberd's certfiles wants chain and key in one PEM file.
      additionalOutputFormats: [{ type: "CombinedPEM" }],
    },
  });

  new gw.Gateway(scope, "gateway", {
    metadata: meta(imGatewayName),
    spec: {
      gatewayClassName: props.gateway.className,
      listeners: [
        {
          name: gatewayListeners.https,
          protocol: "HTTPS",
          port: 443,
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: ejabberdNames.tlsSecret }] },
          allowedRoutes: { namespaces: { from: "Same" } },
        },
        { name: gatewayListeners.http, protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } },
      ],
    },
  });

  // The load balancer either keeps the client's address as the packets' source, or prepends a PROXY v2 header that
  // Envoy must read (a header-less connection is then refused, so nobody behind the balancer can skip it). Either
  // way Envoy's remote address is the client's, which the SecurityPolicy checks: no X-Forwarded-For is believed.
  new gw.ClientTrafficPolicy(scope, "gateway-clients", {
    metadata: meta("gateway-clients"),
    spec: {
      targetRefs: [target("Gateway", imGatewayName)],
      ...(props.loadBalancer.clientAddress === "proxy-v2" ? { proxyProtocol: { optional: false } } : {}),
      tls: { minVersion: "1.2", ciphers: tlsCiphers.split(":") },
      timeout: { http: { idleTimeout: `${props.gateway.idleTimeoutSeconds}s` } },
    },
  });

  const https = { name: imGatewayName, sectionName: gatewayListeners.https };
  const route: AddRoute = (name, spec) => {
    new gw.HTTPRoute(scope, name, { metadata: meta(name), spec: { parentRefs: [https], ...spec } });
  };

  new gw.HTTPRoute(scope, routeNames.redirect, {
    metadata: meta(routeNames.redirect),
    spec: {
      parentRefs: [{ name: imGatewayName, sectionName: gatewayListeners.http }],
      hostnames: hosts,
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    },
  });

  const ejabberd = [{ name: ejabberdGateway.service, port: ejabberdGateway.port }];
  route(routeNames.websocket, {
    hostnames: [props.domain],
    rules: [{ matches: [{ path: { type: "Exact", value: "/ws" } }], filters: [hsts], backendRefs: ejabberd }],
  });
  // Envoy streams request bodies to the service, which enforces the size limit itself.
  route(routeNames.uploads, {
    hostnames: [props.uploads.host],
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        filters: [hsts],
        backendRefs: [{ name: uploadServiceName, port: imPorts.uploadService }],
      },
    ],
  });

  // Envoy opens each connection to ejabberd with a PROXY v2 header carrying the client's address, so ejabberd's own
  // allow-list (acl admin_network) checks the client too, not the proxy pod.
  new k8s.KubeService(scope, ejabberdGateway.service, {
    metadata: {
      ...meta(ejabberdGateway.service),
      labels: { ...meta("").labels, ...ejabberdSelector },
      annotations: { [proxyProtocolAnnotation]: "v2" },
    },
    spec: {
      type: "ClusterIP",
      selector: ejabberdSelector,
      ports: [
        {
          name: "http-proxy",
          port: ejabberdGateway.port,
          targetPort: k8s.IntOrString.fromNumber(ejabberdGateway.port),
        },
      ],
    },
  });
  const ejabberdRoutes = [routeNames.websocket, ...(props.adminCidrs.length > 0 ? [routeNames.admin] : [])];
  new gw.BackendTrafficPolicy(scope, "ejabberd-proxy-protocol", {
    metadata: meta("ejabberd-proxy-protocol"),
    spec: { targetRefs: ejabberdRoutes.map((name) => target("HTTPRoute", name)), proxyProtocol: { version: "V2" } },
  });

  if (props.adminCidrs.length > 0) addAdminRoutes(scope, props, meta, route);
}

function addAdminRoutes(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string) => k8s.ObjectMeta,
  route: AddRoute,
): void {
  route(routeNames.admin, {
    hostnames: [props.domain],
    rules: [
      {
        matches: ["/api", "/admin"].map((value) => ({ path: { type: "PathPrefix" as const, value } })),
        filters: [hsts],
        backendRefs: [{ name: ejabberdGateway.service, port: ejabberdGateway.port }],
      },
    ],
  });
  const grafana = props.gateway.grafana;
  if (grafana) {
    route(routeNames.grafana, {
      hostnames: [props.domain],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/grafana" } }],
          filters: [hsts],
          backendRefs: [{ name: grafana.service, namespace: grafana.namespace, port: grafana.port }],
        },
      ],
    });
    // A route may send to another namespace's Service only where that namespace grants it.
    new gw.ReferenceGrant(scope, "grafana-from-im-routes", {
      metadata: { ...meta("warbler-im-routes"), namespace: grafana.namespace },
      spec: {
        from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: imNamespace }],
        to: [{ group: "", kind: "Service", name: grafana.service }],
      },
    });
  }
  const adminRoutes = [routeNames.admin, ...(grafana ? [routeNames.grafana] : [])];
  new gw.SecurityPolicy(scope, "admin-allow-list", {
    metadata: meta("admin-allow-list"),
    spec: {
      targetRefs: adminRoutes.map((name) => target("HTTPRoute", name)),
      authorization: {
        defaultAction: "Deny",
        rules: [{ name: "admin-networks", action: "Allow", principal: { clientCIDRs: props.adminCidrs } }],
      },
    },
  });
}
