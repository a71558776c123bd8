import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { Provider } from "@pulumi/kubernetes/provider";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import {
  grafanaNetworkPolicies,
  nodeExporterNamespace,
  nodeExporterNetworkPolicies,
} from "../../components/kubernetes/grafana";
import { KubernetesLayer } from "../../components/kubernetes/layer";
import {
  certManagerNetworkPolicies,
  envoyGatewayNetworkPolicies,
  monitoringNetworkPolicies,
  type NamedNetworkPolicy,
  type PolicyPeer,
  type PolicyPort,
  webhookPort,
} from "../../components/kubernetes/system-network-policies";
import { helmCharts } from "../../components/kubernetes/versions";
import { randomMocks } from "../../plan/mocks/random";
import { type PlannedResource, type RecordedProgram, recordProgram } from "../../plan/record";
import { exampleConfig, fakePlatformOutputs, synthesizeFor } from "./fixtures";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const labels = (l: Record<string, string> | undefined) =>
  Object.entries(l ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",") || "*";
const peer = (p: PolicyPeer) => {
  if (p.ipBlock) return `cidr:${p.ipBlock.cidr}`;
  const pods = p.podSelector ? labels(p.podSelector.matchLabels) : undefined;
  if (!p.namespaceSelector) return `pods:${pods}`;
  const ns = p.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"] ?? "*";
  return pods ? `ns:${ns}/${pods}` : `ns:${ns}`;
};
const ports = (list: PolicyPort[]) => list.map((p) => `${p.protocol}/${p.port}`).join(",");
const peers = (list: PolicyPeer[] | undefined) => (list ? list.map(peer).join("|") : "any");

/**
 * One line per rule: `name: pods | Ingress from <peers> <ports>`; a policy without rules is `name: pods | deny
 * Ingress,Egress`.
 */
function summarize(policies: NamedNetworkPolicy[]): string[] {
  return policies.flatMap(({ name, spec }) => {
    const head = `${name}: ${labels(spec.podSelector.matchLabels)}`;
    const rules = [
      ...(spec.ingress ?? []).map((r) => `${head} | Ingress from ${peers(r.from)} ${ports(r.ports)}`),
      ...(spec.egress ?? []).map((r) => `${head} | Egress to ${peers(r.to)} ${ports(r.ports)}`),
    ];
    return rules.length > 0 ? rules : [`${head} | deny ${spec.policyTypes.join(",")}`];
  });
}

const baseline = [
  "default-deny: * | deny Ingress,Egress",
  "allow-dns: * | Egress to ns:kube-system/k8s-app=kube-dns UDP/53,TCP/53",
  "allow-api-server: * | Egress to any TCP/443,TCP/6443",
];
const proxies =
  "gateway.envoyproxy.io/owning-gateway-name=warbler-edge,gateway.envoyproxy.io/owning-gateway-namespace=warbler-im";
const egController = "control-plane=envoy-gateway";
const certManager =
  "app.kubernetes.io/name=cert-manager,app.kubernetes.io/instance=cert-manager,app.kubernetes.io/component=controller";
const certWebhook =
  "app.kubernetes.io/name=webhook,app.kubernetes.io/instance=cert-manager,app.kubernetes.io/component=webhook";
const scrape = "TCP/9090,TCP/9093,TCP/8080,TCP/10250,TCP/9153,TCP/19001,TCP/9402,TCP/9150,TCP/8081,TCP/9151";

describe("NetworkPolicies of the system namespaces", () => {
  it(
    "Envoy Gateway: default deny; clients to the proxies' shifted 80/443; proxies to the controller's xDS; the " +
      "webhook from the API server; metrics to Prometheus; proxies out only to the IM backends and Grafana",
    () => {
      assert.deepEqual(summarize(envoyGatewayNetworkPolicies()), [
        ...baseline,
        `proxy-from-clients: ${proxies} | Ingress from any TCP/10080,TCP/10443`,
        `proxy-to-controller: ${proxies} | Egress to pods:${egController} TCP/18000`,
        `controller-from-proxies: ${egController} | Ingress from pods:${proxies} TCP/18000`,
        `webhook-from-api-server: ${egController} | Ingress from any TCP/9443`,
        "metrics-from-prometheus: * | Ingress from ns:monitoring TCP/19001",
        `proxy-to-backends: ${proxies} | Egress to ns:warbler-im TCP/5281,TCP/8080,TCP/8089`,
        `proxy-to-backends: ${proxies} | Egress to ns:monitoring/app.kubernetes.io/name=grafana TCP/3000`,
      ]);
    },
  );

  it(
    "cert-manager: default deny; the webhook on 10250 from the API server; metrics to Prometheus; the " +
      "controller out to ACME on 443 and 80",
    () => {
      assert.deepEqual(summarize(certManagerNetworkPolicies()), [
        ...baseline,
        `webhook-from-api-server: ${certWebhook} | Ingress from any TCP/10250`,
        `metrics-from-prometheus: ${certManager} | Ingress from ns:monitoring TCP/9402`,
        `controller-to-acme: ${certManager} | Egress to any TCP/80,TCP/443`,
      ]);
    },
  );

  it(
    "monitoring: default deny; the operator webhook from the API server; web ports only from the namespace; " +
      "Prometheus scrapes pods everywhere and kubelets in the VPC",
    () => {
      assert.deepEqual(summarize(monitoringNetworkPolicies({ nodeCidr: "10.20.0.0/16" })), [
        ...baseline,
        "operator-webhook-from-api-server: app=kube-prometheus-stack-operator,release=kube-prometheus-stack | " +
          "Ingress from any TCP/10250",
        "web-from-namespace: * | Ingress from pods:* TCP/9090,TCP/9093,TCP/8080",
        "grafana-from-gateway: app.kubernetes.io/name=grafana | " +
          `Ingress from ns:envoy-gateway-system/${proxies} TCP/3000`,
        "alertmanager-mesh: app.kubernetes.io/name=alertmanager | Ingress from " +
          "pods:app.kubernetes.io/name=alertmanager TCP/9094,UDP/9094",
        "alertmanager-mesh: app.kubernetes.io/name=alertmanager | Egress to " +
          "pods:app.kubernetes.io/name=alertmanager TCP/9094,UDP/9094",
        `prometheus-scrape: app.kubernetes.io/name=prometheus | Egress to ns:* ${scrape}`,
        "prometheus-scrape: app.kubernetes.io/name=prometheus | Egress to cidr:10.20.0.0/16 TCP/10250",
      ]);
    },
  );

  it("opens Alertmanager's egress to the alert webhook's port only when a webhook is configured", () => {
    assert.deepEqual(
      summarize(monitoringNetworkPolicies({ nodeCidr: "10.20.0.0/16", alertWebhookPort: 8443 })).at(-1),
      "alertmanager-to-webhook: app.kubernetes.io/name=alertmanager | Egress to any TCP/8443",
    );
    assert.ok(
      !monitoringNetworkPolicies({ nodeCidr: "10.20.0.0/16" }).some((p) => p.name === "alertmanager-to-webhook"),
    );
    assert.equal(webhookPort("https://hooks.example.com/services/T0/B0"), 443);
    assert.equal(webhookPort("https://alerts.example.com:8443/hook"), 8443);
  });

  it("validates every policy against the Kubernetes NetworkPolicy schema", () => {
    const all = [
      ...envoyGatewayNetworkPolicies(),
      ...certManagerNetworkPolicies(),
      ...monitoringNetworkPolicies({ nodeCidr: "10.20.0.0/16", alertWebhookPort: 443 }),
      ...grafanaNetworkPolicies("10.20.0.0/16", true),
      ...nodeExporterNetworkPolicies(),
    ];
    for (const { name, spec } of all) new NetworkPolicy({ metadata: { name, namespace: "x" }, spec } as any).validate();
    assert.throws(() =>
      new NetworkPolicy({
        metadata: { name: "bad" },
        spec: { podSelector: {}, policyTypes: ["Sideways"] },
      } as any).validate(),
    );
  });

  describe("against the IM chart's own policies", () => {
    const imPolicies = synthesizeFor(exampleConfig("aws", { turn: true })).filter((o) => o.kind === "NetworkPolicy");
    const admittedFrom = (namespace: string) =>
      imPolicies.flatMap((p) =>
        (p.spec.ingress ?? [])
          .filter((rule: any) =>
            (rule.from ?? []).some(
              (f: any) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === namespace,
            ),
          )
          .flatMap((rule: any) => rule.ports.map((port: any) => `${port.protocol}/${port.port}`)),
      );

    it("lets the Envoy proxies reach every port the IM namespace admits from Envoy Gateway's namespace", () => {
      const wanted = admittedFrom(helmCharts.envoyGateway.namespace);
      assert.ok(wanted.length >= 3);
      const egress = envoyGatewayNetworkPolicies().find((p) => p.name === "proxy-to-backends")!.spec.egress![0];
      assert.deepEqual(egress.to, [
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "warbler-im" } } },
      ]);
      for (const port of wanted)
        assert.ok(
          ports(egress.ports).split(",").includes(port),
          `the proxies cannot reach the IM backend port ${port}`,
        );
    });

    it("lets Prometheus reach every metrics port the IM namespace admits from monitoring", () => {
      const wanted = admittedFrom(helmCharts.kubePrometheusStack.namespace);
      assert.ok(wanted.length >= 2);
      const scrapeRule = monitoringNetworkPolicies({ nodeCidr: "10.0.0.0/16" }).find(
        (p) => p.name === "prometheus-scrape",
      )!.spec.egress![0];
      for (const port of wanted)
        assert.ok(ports(scrapeRule.ports).split(",").includes(port), `Prometheus cannot scrape the IM port ${port}`);
    });
  });
});

describe("the Kubernetes layer applies them", () => {
  const config = exampleConfig("aws");
  const providerOf = new Map<string, string | undefined>();
  let plan: RecordedProgram;
  const component = (name: string) => plan.resources.find((r) => !r.custom && r.name === name)!;
  const policiesIn = (namespace: string): PlannedResource[] =>
    plan.resources.filter(
      (r) => r.type === NETPOL && (r.inputs.metadata as { namespace: string }).namespace === namespace,
    );

  before(async () => {
    plan = await recordProgram(
      () => {
        const provider = new Provider("test-cluster", { kubeconfig: "apiVersion: v1" });
        const platform = fakePlatformOutputs(config, provider);
        new KubernetesLayer("k8s", {
          config: { ...config, alertWebhook: "https://alerts.example.com:8443/hook" },
          platform,
        });
      },
      { project: "warbler", stack: "test", region: config.region, accountId: "123456789012", subscriptionId: "unused" },
      [
        randomMocks,
        {
          resources: {
            [NETPOL]: (args) => {
              providerOf.set(args.name, args.provider);
              return {};
            },
          },
          calls: {},
        },
      ],
    );
  });

  const cases = [
    {
      namespace: "envoy-gateway-system",
      component: "k8s-edge",
      release: "k8s-edge-release",
      expected: envoyGatewayNetworkPolicies(),
    },
    {
      namespace: "cert-manager",
      component: "k8s-certificates",
      release: "k8s-certificates-release",
      expected: certManagerNetworkPolicies(),
    },
    {
      namespace: "monitoring",
      component: "k8s-monitoring",
      release: "k8s-monitoring-release",
      expected: [
        ...monitoringNetworkPolicies({ nodeCidr: config.network.cidr, alertWebhookPort: 8443 }),
        ...grafanaNetworkPolicies(config.network.cidr, false),
      ],
    },
    {
      namespace: nodeExporterNamespace,
      component: "k8s-monitoring",
      prefix: "k8s-monitoring-node-exporter",
      release: "k8s-monitoring-release",
      expected: nodeExporterNetworkPolicies(),
    },
  ];
  for (const c of cases) {
    it(
      `creates ${c.namespace}'s policies with the cluster provider, as children of ${c.component}, before its ` +
        `Helm release`,
      () => {
        const created = policiesIn(c.namespace);
        const prefix = "prefix" in c ? c.prefix : c.component;
        assert.deepEqual(created.map((r) => r.name).sort(), c.expected.map((p) => `${prefix}-${p.name}`).sort());
        const parent = component(c.component);
        const release = plan.resources.find((r) => r.name === c.release)!;
        for (const r of created) {
          const expected = c.expected.find((p) => `${prefix}-${p.name}` === r.name)!;
          assert.deepEqual(r.inputs.spec, JSON.parse(JSON.stringify(expected.spec)), r.name);
          assert.equal((r.inputs.metadata as { name: string }).name, expected.name);
          assert.equal(r.parent, parent.urn, `${r.name} is not a child of ${c.component}`);
          assert.match(
            String(providerOf.get(r.name)),
            /::test-cluster::/,
            `${r.name} does not use the cluster's provider`,
          );
          assert.ok(release.dependencies.includes(r.urn), `${c.release} does not wait for ${r.name}`);
          assert.deepEqual((r.inputs.metadata as { labels: Record<string, string> }).labels, {
            owner: config.tags.owner,
            "data-classification": config.tags.dataClassification,
          });
        }
      },
    );
  }

  it("puts the VPC range and the alert webhook's port from the config into the monitoring policies", () => {
    const scrapeNodes = policiesIn("monitoring").find((r) => r.name === "k8s-monitoring-prometheus-scrape")!.inputs
      .spec as { egress: { to: { ipBlock?: { cidr: string } }[] }[] };
    assert.equal(scrapeNodes.egress[1].to[0].ipBlock?.cidr, config.network.cidr);
    assert.ok(policiesIn("monitoring").some((r) => r.name === "k8s-monitoring-alertmanager-to-webhook"));
  });
});
