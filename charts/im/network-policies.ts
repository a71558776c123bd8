import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { ejabberdSelector } from "./ejabberd";
import { defaultPorts } from "./ejabberd-config";
import { erlangDistPort } from "./erlang-tuning";
import { privateRanges } from "./eturnal-config";
import { gatewayProxyPodLabels, imPorts, type ResolvedImChartProps } from "./props";
import { ejabberdGateway } from "./routes";
import { turnSelector } from "./turn";
import { uploadServiceSelector } from "./upload-service";

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: "TCP", port: k8s.IntOrString.fromNumber(port) });
const udp = (port: number, endPort?: number): k8s.NetworkPolicyPort => ({
  protocol: "UDP",
  port: k8s.IntOrString.fromNumber(port),
  ...(endPort ? { endPort } : {}),
});
const inNamespace = (name: string): k8s.NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});
const anywhere: k8s.NetworkPolicyPeer = { ipBlock: { cidr: "0.0.0.0/0" } };
/** Server-to-server XMPP (RFC 6120), where push components (XEP-0357 app servers) listen. */
export const s2sPort = 5269;

/** The Envoy proxies of the chart's Gateway: one peer with both selectors, so both must match. */
export function gatewayProxyPods(props: ResolvedImChartProps): k8s.NetworkPolicyPeer {
  return { ...inNamespace(props.gateway.proxyNamespace), podSelector: { matchLabels: gatewayProxyPodLabels } };
}

/** Default deny in the namespace, then one policy per allowed flow, each with exact ports. */
export function addNetworkPolicies(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string) => k8s.ObjectMeta,
): void {
  const policy = (id: string, spec: k8s.NetworkPolicySpec) =>
    new k8s.KubeNetworkPolicy(scope, id, { metadata: meta(id), spec });
  const ports = defaultPorts;

  policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

  policy("allow-dns", {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      {
        to: [{ ...inNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [{ protocol: "UDP", port: k8s.IntOrString.fromNumber(53) }, tcp(53)],
      },
    ],
  });

  // The Gateway's proxies only (namespace AND pod labels in one peer), and only to the listener that takes their
  // PROXY v2 header: the plain HTTP port stays for loopback and the kubelet (docs/im.md, "Admin access").
  policy("ejabberd-from-gateway", {
    podSelector: { matchLabels: ejabberdSelector },
    policyTypes: ["Ingress"],
    ingress: [{ from: [gatewayProxyPods(props)], ports: [tcp(ejabberdGateway.port)] }],
  });

  // The client load balancer keeps the client's address (the kit's externalTrafficPolicy), so the source is the
  // Internet.
  policy("ejabberd-from-clients", {
    podSelector: { matchLabels: ejabberdSelector },
    policyTypes: ["Ingress"],
    ingress: [{ from: [anywhere], ports: [tcp(ports.c2s), tcp(ports.c2sTls)] }],
  });

  policy("ejabberd-erlang-distribution", {
    podSelector: { matchLabels: ejabberdSelector },
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: [{ podSelector: { matchLabels: ejabberdSelector } }], ports: [tcp(erlangDistPort)] }],
    egress: [{ to: [{ podSelector: { matchLabels: ejabberdSelector } }], ports: [tcp(erlangDistPort)] }],
  });

  policy("ejabberd-to-database", {
    podSelector: { matchLabels: ejabberdSelector },
    policyTypes: ["Egress"],
    egress: [{ to: props.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(props.databasePort)] }],
  });

  policy("metrics-from-prometheus", {
    podSelector: {},
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [inNamespace(props.monitoringNamespace)],
        ports: [tcp(props.exporter.port), tcp(imPorts.turnMetrics), tcp(imPorts.uploadMetrics)],
      },
    ],
  });

  policy("upload-service-from-gateway", {
    podSelector: { matchLabels: uploadServiceSelector },
    policyTypes: ["Ingress"],
    ingress: [{ from: [gatewayProxyPods(props)], ports: [tcp(imPorts.uploadService)] }],
  });

  // Bucket APIs and the clouds' token endpoints (STS, Entra ID) are HTTPS names with changing addresses.
  policy("upload-service-to-object-storage", {
    podSelector: { matchLabels: uploadServiceSelector },
    policyTypes: ["Egress"],
    egress: [{ to: [anywhere], ports: [tcp(443)] }],
  });

  // Its ledger (sizes, quotas) and the account list erasure checks against.
  policy("upload-service-to-database", {
    podSelector: { matchLabels: uploadServiceSelector },
    policyTypes: ["Egress"],
    egress: [{ to: props.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(props.databasePort)] }],
  });

  // cert-manager's HTTP-01 solver pods run in this namespace while a certificate is issued.
  policy("acme-solver-from-gateway", {
    podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
    policyTypes: ["Ingress"],
    ingress: [{ from: [gatewayProxyPods(props)], ports: [tcp(8089)] }],
  });

  // Push components are reached over s2s (5269, TLS required by the config) at public addresses only.
  if (props.push) {
    policy("ejabberd-push-to-internet", {
      podSelector: { matchLabels: ejabberdSelector },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } }], ports: [tcp(s2sPort)] }],
    });
  }

  if (props.turn) {
    const [first, last] = props.turn.relayPorts;
    policy("turn-from-clients", {
      podSelector: { matchLabels: turnSelector },
      policyTypes: ["Ingress"],
      ingress: [{ from: [anywhere], ports: [udp(imPorts.turn), udp(first, last), tcp(imPorts.turnStreamTarget)] }],
    });
    policy("turn-relay-to-internet", {
      podSelector: { matchLabels: turnSelector },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } }], ports: [{ protocol: "UDP" }] }],
    });
  }
}
