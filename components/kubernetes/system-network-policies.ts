import { gatewayProxyPodLabels, imNamespace, imPorts } from "../../charts/im/props";
import { ejabberdGateway } from "../../charts/im/routes";
import type { AcmeDnsProvider } from "../../config/clouds";
import { alidnsWebhook } from "./acme-solvers";
import { helmCharts } from "./versions";

/**
 * NetworkPolicies for the namespaces of the third-party charts (Envoy Gateway,
 * cert-manager, kube-prometheus-stack): default deny, then one policy per flow
 * the component needs on a real cluster, each with exact ports. Pure data; the
 * components apply it with @pulumi/kubernetes (network-policy-resources.ts).
 *
 * A rule without `from`/`to` admits any peer. It is used where the peer is the
 * API server or the Internet: the API server's address differs per cloud (EKS
 * ENIs, AKS private link or konnectivity, ACK internal SLB), and traffic that
 * hairpins through a load balancer arrives from pod addresses, which an
 * `ipBlock` does not match on every CNI.
 */

export interface LabelSelector {
  /** Absent or empty: everything (all pods of the namespace, or all namespaces). */
  matchLabels?: Record<string, string>;
}

export interface PolicyPort {
  protocol: "TCP" | "UDP";
  port: number;
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}

export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes: ("Ingress" | "Egress")[];
  ingress?: { from?: PolicyPeer[]; ports: PolicyPort[] }[];
  egress?: { to?: PolicyPeer[]; ports: PolicyPort[] }[];
}

/** One NetworkPolicy: `name` is its metadata.name and the suffix of its Pulumi resource name. */
export interface NamedNetworkPolicy {
  name: string;
  spec: NetworkPolicySpec;
}

export interface SystemNetworkFacts {
  /** The VPC/VNet range the nodes live in: Prometheus scrapes the kubelets there. */
  nodeCidr: string;
  /**
   * Port of the alert webhook URL; absent when no webhook is configured, and Alertmanager then has no Internet egress.
   */
  alertWebhookPort?: number;
}

const tcp = (...ports: number[]): PolicyPort[] => ports.map((port) => ({ protocol: "TCP", port }));
const udp = (...ports: number[]): PolicyPort[] => ports.map((port) => ({ protocol: "UDP", port }));
const inNamespace = (name: string): PolicyPeer => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});
const everyNamespace: PolicyPeer = { namespaceSelector: {} };
const thisNamespace: PolicyPeer = { podSelector: {} };
const allPods: LabelSelector = {};

/** Ports the API server listens on behind the `kubernetes` Service: 443 on EKS and AKS, 6443 on ACK. */
export const apiServerPorts = [443, 6443] as const;

/** The HTTP-01 solver pod cert-manager starts in the IM namespace listens here. */
export const acmeSolverPort = 8089;

/**
 * Envoy Gateway's ports. The proxies listen on the Gateway's listener ports shifted by 10000 below 1024 (so 80 and
 * 443 become 10080 and 10443: internal/gatewayapi/helpers.go `wellKnownPortShift`, quoted in envoyproxy/gateway#4981)
 * and fetch their config from the controller's xDS server on 18000 (envoyproxy/gateway#1598, #2813); both serve
 * Prometheus metrics on 19001. The controller's webhook (topology injector) listens on 9443.
 */
export const envoyGatewayPorts = {
  proxyListeners: [10080, 10443],
  xds: 18000,
  metrics: 19001,
  webhook: 9443,
} as const;

/** Grafana's container port in kube-prometheus-stack's Grafana sub-chart (its Service maps 80 to it). */
export const grafanaPort = 3000;

/** cert-manager's webhook (chart value webhook.securePort). */
export const certManagerWebhookPort = 10250;

/** The Prometheus Operator's webhook and metrics (chart value prometheusOperator.tls.internalPort). */
export const operatorWebhookPort = 10250;

/** Alertmanager replicas gossip on this port, TCP and UDP. */
export const alertmanagerMeshPort = 9094;

/** Where the kubelet (and cAdvisor) serve metrics on every node. */
export const kubeletPort = 10250;

/**
 * Every metrics port Prometheus scrapes in a pod, by target. The IM ports are
 * checked against the synthesized IM chart by test/chart/system-network-policies.test.ts.
 */
export const scrapePorts = {
  prometheus: 9090,
  alertmanager: 9093,
  configReloader: 8080,
  kubeStateMetrics: 8080,
  operator: operatorWebhookPort,
  coreDns: 9153,
  envoyGateway: envoyGatewayPorts.metrics,
  certManager: 9402,
  imExporter: 9150,
  imTurn: imPorts.turnMetrics,
  imUpload: imPorts.uploadMetrics,
} as const;

/** Pod labels the pinned charts (versions.ts) put on the pods these policies select. */
export const chartPodLabels = {
  /** The Envoy Gateway controller Deployment's selector in the gateway-helm chart. */
  envoyGatewayController: { "control-plane": "envoy-gateway" },
  /** The Envoy proxies of the IM Gateway, as Envoy Gateway labels them. */
  envoyProxy: gatewayProxyPodLabels,
  grafana: { "app.kubernetes.io/name": "grafana" },
  certManagerController: {
    "app.kubernetes.io/name": "cert-manager",
    "app.kubernetes.io/instance": "cert-manager",
    "app.kubernetes.io/component": "controller",
  },
  certManagerWebhook: {
    "app.kubernetes.io/name": "webhook",
    "app.kubernetes.io/instance": "cert-manager",
    "app.kubernetes.io/component": "webhook",
  },
  prometheusOperator: { app: "kube-prometheus-stack-operator", release: "kube-prometheus-stack" },
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  alertmanager: { "app.kubernetes.io/name": "alertmanager" },
} as const;

/**
 * The ports of the IM services the Envoy proxies send to: ejabberd's PROXY-protocol HTTP listener, the upload service
 * and the ACME solver.
 */
export const imBackendPorts = [ejabberdGateway.port, imPorts.uploadService, acmeSolverPort] as const;

/** The port of an alert webhook URL; the config schema admits only https, so 443 when the URL names none. */
export function webhookPort(url: string): number {
  const { port } = new URL(url);
  return port === "" ? 443 : Number(port);
}

/** Default deny, DNS and the API server: what every one of these namespaces starts from. */
function baseline(): NamedNetworkPolicy[] {
  return [
    { name: "default-deny", spec: { podSelector: allPods, policyTypes: ["Ingress", "Egress"] } },
    {
      name: "allow-dns",
      spec: {
        podSelector: allPods,
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ ...inNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [...udp(53), ...tcp(53)],
          },
        ],
      },
    },
    // Controllers, the charts' hook Jobs (webhook certificate generators) and Prometheus' service discovery all use the
    // API.
    {
      name: "allow-api-server",
      spec: { podSelector: allPods, policyTypes: ["Egress"], egress: [{ ports: tcp(...apiServerPorts) }] },
    },
  ];
}

/**
 * Envoy Gateway: clients into the proxies, the proxies to the controller's xDS server and on to the IM backends and
 * Grafana, the controller's webhook from the API server, metrics to Prometheus.
 */
export function envoyGatewayNetworkPolicies(): NamedNetworkPolicy[] {
  const proxy = { matchLabels: { ...chartPodLabels.envoyProxy } };
  const controller = { matchLabels: { ...chartPodLabels.envoyGatewayController } };
  const monitoring = helmCharts.kubePrometheusStack.namespace;
  return [
    ...baseline(),
    // The load balancer keeps client addresses, or hands them over in a PROXY header: clients are the Internet.
    {
      name: "proxy-from-clients",
      spec: {
        podSelector: proxy,
        policyTypes: ["Ingress"],
        ingress: [{ ports: tcp(...envoyGatewayPorts.proxyListeners) }],
      },
    },
    {
      name: "proxy-to-controller",
      spec: {
        podSelector: proxy,
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: controller }], ports: tcp(envoyGatewayPorts.xds) }],
      },
    },
    {
      name: "controller-from-proxies",
      spec: {
        podSelector: controller,
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: proxy }], ports: tcp(envoyGatewayPorts.xds) }],
      },
    },
    {
      name: "webhook-from-api-server",
      spec: { podSelector: controller, policyTypes: ["Ingress"], ingress: [{ ports: tcp(envoyGatewayPorts.webhook) }] },
    },
    {
      name: "metrics-from-prometheus",
      spec: {
        podSelector: allPods,
        policyTypes: ["Ingress"],
        ingress: [{ from: [inNamespace(monitoring)], ports: tcp(envoyGatewayPorts.metrics) }],
      },
    },
    {
      name: "proxy-to-backends",
      spec: {
        podSelector: proxy,
        policyTypes: ["Egress"],
        egress: [
          { to: [inNamespace(imNamespace)], ports: tcp(...imBackendPorts) },
          {
            to: [{ ...inNamespace(monitoring), podSelector: { matchLabels: { ...chartPodLabels.grafana } } }],
            ports: tcp(grafanaPort),
          },
        ],
      },
    },
  ];
}

/**
 * cert-manager: its webhook from the API server, metrics to Prometheus, the ACME server and the HTTP-01 self-check out.
 */
export function certManagerNetworkPolicies(dns01Provider?: AcmeDnsProvider): NamedNetworkPolicy[] {
  const controller = { matchLabels: { ...chartPodLabels.certManagerController } };
  return [
    ...(dns01Provider === undefined ? [] : dns01NetworkPolicies(dns01Provider)),
    ...baseline(),
    {
      name: "webhook-from-api-server",
      spec: {
        podSelector: { matchLabels: { ...chartPodLabels.certManagerWebhook } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: tcp(certManagerWebhookPort) }],
      },
    },
    {
      name: "metrics-from-prometheus",
      spec: {
        podSelector: controller,
        policyTypes: ["Ingress"],
        ingress: [
          { from: [inNamespace(helmCharts.kubePrometheusStack.namespace)], ports: tcp(scrapePorts.certManager) },
        ],
      },
    },
    // 443: the ACME directory; 80: the HTTP-01 self-check, which fetches the challenge through the public load
    // balancer.
    {
      name: "controller-to-acme",
      spec: { podSelector: controller, policyTypes: ["Egress"], egress: [{ ports: tcp(80, 443) }] },
    },
  ];
}

/**
 * DNS-01: before telling the ACME server to look, cert-manager's controller queries the zone's authoritative
 * nameservers for the TXT record itself, so it needs port 53 to the internet. The provider APIs (Route 53, Azure
 * Resource Manager, Alibaba Cloud DNS) are HTTPS, which `allow-api-server` (443 to any address) already lets out.
 * The alidns webhook serves cert-manager's calls through the API server's aggregation layer on its port 443.
 */
function dns01NetworkPolicies(provider: AcmeDnsProvider): NamedNetworkPolicy[] {
  const controller = { matchLabels: { ...chartPodLabels.certManagerController } };
  const propagationCheck: NamedNetworkPolicy = {
    name: "controller-to-nameservers",
    spec: { podSelector: controller, policyTypes: ["Egress"], egress: [{ ports: [...udp(53), ...tcp(53)] }] },
  };
  if (provider !== "alidns") return [propagationCheck];
  return [
    propagationCheck,
    {
      name: "alidns-webhook-from-api-server",
      spec: {
        podSelector: { matchLabels: { ...alidnsWebhook.podLabels } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: tcp(alidnsWebhook.port) }],
      },
    },
  ];
}

/**
 * kube-prometheus-stack: Prometheus scrapes every namespace and the kubelets; the web ports only inside the namespace.
 */
export function monitoringNetworkPolicies(facts: SystemNetworkFacts): NamedNetworkPolicy[] {
  const alertmanager = { matchLabels: { ...chartPodLabels.alertmanager } };
  const prometheus = { matchLabels: { ...chartPodLabels.prometheus } };
  const mesh = [...tcp(alertmanagerMeshPort), ...udp(alertmanagerMeshPort)];
  const inNamespacePorts = [
    ...new Set([
      scrapePorts.prometheus,
      scrapePorts.alertmanager,
      scrapePorts.configReloader,
      scrapePorts.kubeStateMetrics,
    ]),
  ];
  return [
    ...baseline(),
    {
      name: "operator-webhook-from-api-server",
      spec: {
        podSelector: { matchLabels: { ...chartPodLabels.prometheusOperator } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: tcp(operatorWebhookPort) }],
      },
    },
    // Grafana is reached through the Gateway only (below); the Prometheus and Alertmanager UIs are for kubectl
    // port-forward.
    {
      name: "web-from-namespace",
      spec: {
        podSelector: allPods,
        policyTypes: ["Ingress"],
        ingress: [{ from: [thisNamespace], ports: tcp(...inNamespacePorts) }],
      },
    },
    {
      name: "grafana-from-gateway",
      spec: {
        podSelector: { matchLabels: { ...chartPodLabels.grafana } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                ...inNamespace(helmCharts.envoyGateway.namespace),
                podSelector: { matchLabels: { ...chartPodLabels.envoyProxy } },
              },
            ],
            ports: tcp(grafanaPort),
          },
        ],
      },
    },
    {
      name: "alertmanager-mesh",
      spec: {
        podSelector: alertmanager,
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: alertmanager }], ports: mesh }],
        egress: [{ to: [{ podSelector: alertmanager }], ports: mesh }],
      },
    },
    {
      name: "prometheus-scrape",
      spec: {
        podSelector: prometheus,
        policyTypes: ["Egress"],
        egress: [
          { to: [everyNamespace], ports: tcp(...new Set(Object.values(scrapePorts))) },
          { to: [{ ipBlock: { cidr: facts.nodeCidr } }], ports: tcp(kubeletPort) },
        ],
      },
    },
    ...(facts.alertWebhookPort !== undefined
      ? [
          {
            name: "alertmanager-to-webhook",
            spec: {
              podSelector: alertmanager,
              policyTypes: ["Egress"],
              egress: [{ ports: tcp(facts.alertWebhookPort) }],
            },
          } satisfies NamedNetworkPolicy,
        ]
      : []),
  ];
}
