import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { Certificate } from "./crds";
import { ejabberdNames } from "./ejabberd";
import { defaultPorts } from "./ejabberd-config";
import { imPorts, type ResolvedImChartProps } from "./props";
import { uploadServiceName } from "./upload-service";

export const ingressClassName = "nginx";

const backend = (name: string, port: number): k8s.IngressBackend => ({ service: { name, port: { number: port } } });

/**
 * Three Ingresses on the one TLS certificate: WebSocket on the domain, the
 * upload host, and /api + /admin behind a source allow-list. ingress-nginx
 * applies annotations per Ingress, so the allow-list touches only the last.
 */
export function addIngresses(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string) => k8s.ObjectMeta,
): void {
  const tls = [{ hosts: [props.domain, props.uploads.host], secretName: ejabberdNames.tlsSecret }];
  new Certificate(scope, "ejabberd-certificate", {
    metadata: meta(ejabberdNames.tlsSecret),
    spec: {
      secretName: ejabberdNames.tlsSecret,
      dnsNames: [props.domain, props.uploads.host],
      issuerRef: { name: props.clusterIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      renewBefore: "720h",
      // ejabberd's certfiles wants chain and key in one PEM file.
      additionalOutputFormats: [{ type: "CombinedPEM" }],
    },
  });

  const ingress = (id: string, annotations: Record<string, string>, rules: k8s.IngressRule[]) =>
    new k8s.KubeIngress(scope, id, {
      metadata: { ...meta(id), annotations },
      spec: { ingressClassName, tls, rules },
    });

  ingress(
    "im-websocket",
    {
      // XMPP sessions are long-lived; the client pings well within an hour.
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
    },
    [
      {
        host: props.domain,
        http: { paths: [{ path: "/ws", pathType: "Exact", backend: backend(ejabberdNames.http, defaultPorts.http) }] },
      },
    ],
  );

  ingress(
    "im-uploads",
    {
      "nginx.ingress.kubernetes.io/proxy-body-size": `${props.uploads.maxFileMiB}m`,
      // Stream uploads to the service instead of spooling them on the controller's disk.
      "nginx.ingress.kubernetes.io/proxy-request-buffering": "off",
    },
    [
      {
        host: props.uploads.host,
        http: {
          paths: [{ path: "/", pathType: "Prefix", backend: backend(uploadServiceName, imPorts.uploadService) }],
        },
      },
    ],
  );

  if (props.adminCidrs.length > 0) {
    ingress("im-admin", { "nginx.ingress.kubernetes.io/whitelist-source-range": props.adminCidrs.join(",") }, [
      {
        host: props.domain,
        http: {
          paths: ["/api", "/admin"].map((path) => ({
            path,
            pathType: "Prefix",
            backend: backend(ejabberdNames.http, defaultPorts.http),
          })),
        },
      },
    ]);
  }
}
