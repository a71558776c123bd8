import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { ejabberdSelector } from "./ejabberd";
import { defaultPorts } from "./ejabberd-config";
import { erlangDistPort } from "./erlang-tuning";
import { imPorts, type ResolvedImChartProps } from "./props";
import { turnSelector } from "./turn";
import { uploadGatewaySelector } from "./upload-gateway";

/** Ranges a TURN relay must never reach: it would turn the relay into a door into the private network. */
export const privateRanges = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "127.0.0.0/8",
];

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

  policy("ejabberd-from-ingress", {
    podSelector: { matchLabels: ejabberdSelector },
    policyTypes: ["Ingress"],
    ingress: [{ from: [inNamespace(props.ingressNamespace)], ports: [tcp(ports.http)] }],
  });

  // The client load balancer keeps the client's address (externalTrafficPolicy Local), so the source is the Internet.
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
      { from: [inNamespace(props.monitoringNamespace)], ports: [tcp(props.exporter.port), tcp(imPorts.turnMetrics)] },
    ],
  });

  policy("upload-gateway-from-ingress", {
    podSelector: { matchLabels: uploadGatewaySelector },
    policyTypes: ["Ingress"],
    ingress: [{ from: [inNamespace(props.ingressNamespace)], ports: [tcp(imPorts.uploadGateway)] }],
  });

  // Bucket APIs and the clouds' token endpoints (STS, Entra ID) are HTTPS names with changing addresses.
  policy("upload-gateway-to-object-storage", {
    podSelector: { matchLabels: uploadGatewaySelector },
    policyTypes: ["Egress"],
    egress: [{ to: [anywhere], ports: [tcp(443)] }],
  });

  // cert-manager's HTTP-01 solver pods run in this namespace while a certificate is issued.
  policy("acme-solver-from-ingress", {
    podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
    policyTypes: ["Ingress"],
    ingress: [{ from: [inNamespace(props.ingressNamespace)], ports: [tcp(8089)] }],
  });

  if (props.turn) {
    const [first, last] = props.turn.relayPorts;
    policy("turn-from-clients", {
      podSelector: { matchLabels: turnSelector },
      policyTypes: ["Ingress"],
      ingress: [{ from: [anywhere], ports: [udp(imPorts.turn), udp(first, last)] }],
    });
    policy("turn-relay-to-internet", {
      podSelector: { matchLabels: turnSelector },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } }], ports: [{ protocol: "UDP" }] }],
    });
  }
}
