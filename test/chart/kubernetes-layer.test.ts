import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { Provider } from "@pulumi/kubernetes/provider";
import { acmeIssuerSpec, acmeServers } from "../../components/kubernetes/cert-manager";
import { edgeNames, envoyGatewayControllerName, proxyDrain } from "../../components/kubernetes/envoy-gateway";
import { KubernetesLayer } from "../../components/kubernetes/layer";
import { helmCharts } from "../../components/kubernetes/versions";
import { randomMocks } from "../../plan/mocks/random";
import { type RecordedProgram, recordProgram } from "../../plan/record";
import { exampleConfig, fakePlatformOutputs, sampleFacts } from "./fixtures";

const DB_PASSWORD = "db-password-that-must-not-leak-0123456789";
const config = (() => {
  const base = exampleConfig("azure", { adminApi: true, adminCidrs: ["198.51.100.0/24"] });
  return { ...base, acme: { email: "pki@example.org", server: "staging" as const } };
})();

let plan: RecordedProgram;
const byType = (type: string) => plan.resources.filter((r) => r.type === type);
const one = (type: string, name: string) => {
  const found = plan.resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `${type} ${name} was not registered`);
  return found;
};

describe("the Kubernetes layer under mocks", () => {
  before(async () => {
    plan = await recordProgram(
      () => {
        const provider = new Provider("test-cluster", { kubeconfig: "apiVersion: v1" });
        const layer = new KubernetesLayer("k8s", {
          config,
          platform: fakePlatformOutputs(config, provider, { databasePassword: DB_PASSWORD }),
        });
        return { adminPasswords: layer.adminPasswords };
      },
      {
        project: "warbler",
        stack: "test",
        region: config.region,
        accountId: "123456789012",
        subscriptionId: "00000000-0000-0000-0000-000000000000",
      },
      [randomMocks],
    );
  });

  it("installs Envoy Gateway, cert-manager and kube-prometheus-stack at pinned versions, and no ingress-nginx", () => {
    const releases = byType("kubernetes:helm.sh/v3:Release");
    const installed = releases.map((r) => `${r.inputs.chart}@${r.inputs.version}`).sort();
    assert.deepEqual(
      installed,
      Object.values(helmCharts)
        .map((c) => `${c.chart}@${c.version}`)
        .sort(),
    );
    for (const release of releases) {
      const pin = Object.values(helmCharts).find((c) => c.chart === release.inputs.chart)!;
      // The OCI chart names its registry in `chart`; the others come from their Helm repositories.
      assert.deepEqual(release.inputs.repositoryOpts, "repo" in pin ? { repo: pin.repo } : undefined);
      assert.match(String(release.inputs.version), /^v?\d+\.\d+\.\d+$/, "a version range or tag is not a pin");
    }
    assert.equal(helmCharts.envoyGateway.chart, "oci://docker.io/envoyproxy/gateway-helm");
    assert.ok(!JSON.stringify(plan.resources.map((r) => r.inputs)).includes("ingress-nginx"));
    assert.equal(byType("kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("puts the kit's load-balancer annotations and traffic policy on the proxies' Service, by a fixed name", () => {
    const proxy = one("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "k8s-edge-envoy-proxy").inputs as any;
    const service = proxy.spec.provider.kubernetes.envoyService;
    assert.deepEqual(service.annotations, sampleFacts.azure.tcpAnnotations);
    assert.equal(service.externalTrafficPolicy, "Local");
    assert.equal(service.type, "LoadBalancer");
    assert.equal(service.name, edgeNames.service);
    assert.equal(proxy.metadata.namespace, helmCharts.envoyGateway.namespace);
    const gatewayClass = one("kubernetes:gateway.networking.k8s.io/v1:GatewayClass", "k8s-edge-gateway-class")
      .inputs as any;
    assert.equal(gatewayClass.spec.controllerName, envoyGatewayControllerName);
    assert.deepEqual(gatewayClass.spec.parametersRef, {
      group: "gateway.envoyproxy.io",
      kind: "EnvoyProxy",
      name: proxy.metadata.name,
      namespace: proxy.metadata.namespace,
    });
  });

  it("drains a replaced proxy far longer than a keepalive round, so a rollout does not cut WebSockets", () => {
    const proxy = one("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "k8s-edge-envoy-proxy").inputs as any;
    assert.deepEqual(proxy.spec.shutdown, {
      drainTimeout: `${proxyDrain.drainTimeoutSeconds}s`,
      minDrainDuration: `${proxyDrain.minDrainDurationSeconds}s`,
    });
    assert.ok(proxyDrain.drainTimeoutSeconds >= 600);
    assert.equal(proxy.spec.provider.kubernetes.envoyPDB.minAvailable, 2);
  });

  it("creates the ACME ClusterIssuer with the config's e-mail and staging server, and a self-signed issuer", () => {
    const acme = one("kubernetes:cert-manager.io/v1:ClusterIssuer", "k8s-certificates-acme-issuer").inputs as any;
    assert.equal(acme.spec.acme.email, "pki@example.org");
    assert.equal(acme.spec.acme.server, acmeServers.staging);
    assert.deepEqual(acme.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs, [
      { kind: "Gateway", name: "warbler-edge", namespace: "warbler-im", sectionName: "http" },
    ]);
    const certManager = one("kubernetes:helm.sh/v3:Release", "k8s-certificates-release").inputs.values as any;
    assert.equal(certManager.config.enableGatewayAPI, true);
    const selfSigned = one("kubernetes:cert-manager.io/v1:ClusterIssuer", "k8s-certificates-selfsigned-issuer")
      .inputs as any;
    assert.deepEqual(selfSigned.spec, { selfSigned: {} });
    assert.equal(
      (acmeIssuerSpec("a@b.org", "production", { name: "g", namespace: "n", sectionName: "http" }) as any).acme.server,
      "https://acme-v02.api.letsencrypt.org/directory",
    );
  });

  it("keeps Prometheus and Alertmanager data on the kit's encrypted StorageClass", () => {
    const values = one("kubernetes:helm.sh/v3:Release", "k8s-monitoring-release").inputs.values as any;
    assert.equal(
      values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName,
      "warbler-encrypted",
    );
    assert.equal(
      values.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName,
      "warbler-encrypted",
    );
    assert.equal(values.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues, false);
  });

  it("applies every Kubernetes object with the cluster's provider", () => {
    const k8s = plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    assert.ok(k8s.length > 30);
    for (const resource of k8s)
      assert.match(
        resource.provider,
        /::test-cluster$/,
        `${resource.type} ${resource.name} uses '${resource.provider}'`,
      );
    assert.ok(one("kubernetes:apps/v1:StatefulSet", "warbler-im/ejabberd"));
  });

  it("resolves the platform outputs into the applied objects", () => {
    const configMap = one("kubernetes:core/v1:ConfigMap", "warbler-im/ejabberd-config").inputs as any;
    const yml: string = configMap.data["ejabberd.yml"];
    // ejabberd reaches the database through its TLS proxy sidecar, which gets the real host (the kit's Output).
    assert.match(yml, /sql_server: "127\.0\.0\.1"/);
    const pod = (one("kubernetes:apps/v1:StatefulSet", "warbler-im/ejabberd").inputs as any).spec.template.spec;
    const proxy = pod.initContainers.find((c: any) => c.name === "sql-tls-proxy");
    const upstream = proxy.env.find((e: any) => e.name === "WARBLER_SQL_PROXY_UPSTREAM_HOST");
    assert.equal(upstream.value, sampleFacts.azure.databaseHost);
    assert.ok(yml.includes(`put_url: "https://upload.${config.domain}"`));
    assert.ok(
      !/warbler-deferred/.test(JSON.stringify(plan.resources.map((r) => r.inputs))),
      "a placeholder reached the cluster",
    );
    const sa = one("kubernetes:core/v1:ServiceAccount", "warbler-im/warbler-upload").inputs as any;
    assert.equal(
      sa.metadata.annotations["azure.workload.identity/client-id"],
      sampleFacts.azure.serviceAccountAnnotations["azure.workload.identity/client-id"],
    );
    const sts = one("kubernetes:apps/v1:StatefulSet", "warbler-im/ejabberd").inputs as any;
    assert.match(sts.spec.template.metadata.annotations["warbler.io/config-checksum"], /^[0-9a-f]{64}$/);
  });

  it("creates the referenced Secrets from secret Outputs and never writes a secret into a manifest", () => {
    const secrets = byType("kubernetes:core/v1:Secret");
    const where = (s: (typeof secrets)[number]) =>
      `${(s.inputs as any).metadata.namespace}/${(s.inputs as any).metadata.name}`;
    assert.deepEqual(secrets.map(where).sort(), [
      "monitoring/warbler-grafana-admin",
      "warbler-im-setup/database-admin",
      "warbler-im-setup/database-ca",
      "warbler-im-setup/database-role-verifiers",
      "warbler-im/ejabberd-admins",
      "warbler-im/ejabberd-database-ca",
      "warbler-im/ejabberd-erlang-cookie",
      "warbler-im/ejabberd-exporter-database",
      "warbler-im/ejabberd-secrets",
      "warbler-im/eturnal-secret",
      "warbler-im/warbler-upload-database",
      "warbler-im/warbler-upload-secret",
    ]);
    for (const name of [
      "database-admin",
      "database-role-verifiers",
      "ejabberd-admins",
      "ejabberd-erlang-cookie",
      "ejabberd-secrets",
      "ejabberd-exporter-database",
      "eturnal-secret",
      "warbler-upload-database",
      "warbler-upload-secret",
      "warbler-grafana-admin",
    ]) {
      const secret = secrets.find((s) => (s.inputs as any).metadata.name === name)!;
      assert.equal((secret.inputs as any).stringData, "[secret]", `${name} is not marked secret`);
    }
    const everythingElse = JSON.stringify(
      plan.resources.filter((r) => r.type !== "kubernetes:core/v1:Secret").map((r) => r.inputs),
    );
    assert.ok(!everythingElse.includes(DB_PASSWORD), "the database password reached a non-Secret object");
    assert.equal(plan.outputs.adminPasswords, "[secret]");
  });

  it("applies the namespace on its own, before the Secrets and the rest of the chart", () => {
    const group = (name: string) =>
      plan.resources.find((r) => r.type === "kubernetes:yaml:ConfigGroup" && r.name === name)!;
    assert.equal(one("kubernetes:core/v1:Namespace", "warbler-im").parent, group("k8s-im-namespace").urn);
    assert.equal(one("kubernetes:apps/v1:StatefulSet", "warbler-im/ejabberd").parent, group("k8s-im-objects").urn);
    assert.ok(
      !plan.resources.some(
        (r) => r.parent === group("k8s-im-objects").urn && r.type === "kubernetes:core/v1:Namespace",
      ),
    );
  });
});
