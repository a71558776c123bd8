import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadBalancerAnnotations as alicloudLoadBalancer } from "../../components/alicloud/load-balancer";
import { loadBalancerAnnotations as awsLoadBalancer } from "../../components/aws/load-balancer";
import { loadBalancerAnnotations as azureLoadBalancer } from "../../components/azure/load-balancer";
import { edgeNames, envoyProxySpec, proxyDrain } from "../../components/kubernetes/envoy-gateway";
import { keepaliveSilenceSeconds } from "../../config/im";
import { exampleConfig, synthesizeFor } from "./fixtures";
import { gatewayKinds, gatewaySchemaProblems } from "./gateway-schema";

const chart = synthesizeFor(exampleConfig("azure", { adminApi: true, adminCidrs: ["203.0.113.0/24"] }));
const ofKind = (kind: string) => chart.filter((o) => o.kind === kind);

describe("Gateway API and Envoy Gateway objects against their CRD schema facts", () => {
  it("renders every kind the checker knows, and each conforms", () => {
    const rendered = chart.filter((o) => gatewayKinds.includes(`${o.apiVersion}/${o.kind}`));
    assert.deepEqual([...new Set(rendered.map((o) => o.kind))].sort(), [
      "BackendTrafficPolicy",
      "ClientTrafficPolicy",
      "Gateway",
      "HTTPRoute",
      "ReferenceGrant",
      "SecurityPolicy",
    ]);
    for (const o of rendered) assert.deepEqual(gatewaySchemaProblems(o), [], `${o.kind} ${o.metadata.name}`);
  });

  it("renders an EnvoyProxy that conforms, with the kit's Service settings under the fixed name", () => {
    const proxy = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "EnvoyProxy",
      metadata: { name: edgeNames.envoyProxy },
      spec: envoyProxySpec({ tcpAnnotations: { a: "b" }, externalTrafficPolicy: "Cluster" }),
    };
    assert.deepEqual(gatewaySchemaProblems(proxy), []);
    assert.equal((proxy.spec as any).provider.kubernetes.envoyService.externalTrafficPolicy, "Cluster");
    assert.ok(proxyDrain.drainTimeoutSeconds > keepaliveSilenceSeconds);
  });

  // The checker must be able to fail, or the conformance above proves nothing.
  it("refuses a misspelled field, a value outside an enum, and an HTTPS listener without a certificate", () => {
    const policy = structuredClone(ofKind("SecurityPolicy")[0]);
    policy.spec.authorization.rules[0].principal = { clientCIDR: ["203.0.113.0/24"] };
    assert.ok(gatewaySchemaProblems(policy).some((p) => /principal is empty/.test(p)));
    const clients = structuredClone(ofKind("ClientTrafficPolicy")[0]);
    clients.spec.tls.minVersion = "TLSv1.2";
    assert.ok(gatewaySchemaProblems(clients).some((p) => /minVersion/.test(p)));
    clients.spec.tls.minVersion = "1.2";
    clients.spec.enableProxyProtocoll = true;
    assert.ok(gatewaySchemaProblems(clients).some((p) => /enableProxyProtocoll is not a field/.test(p)));
    const gateway = structuredClone(ofKind("Gateway")[0]);
    delete gateway.spec.listeners[0].tls;
    assert.ok(gatewaySchemaProblems(gateway).some((p) => /HTTPS without tls.certificateRefs/.test(p)));
    const backends = structuredClone(ofKind("BackendTrafficPolicy")[0]);
    backends.spec.proxyProtocol.version = "v2";
    assert.ok(gatewaySchemaProblems(backends).some((p) => /V1 or V2/.test(p)));
  });

  it("every kit's load balancer keeps idle TCP flows longer than a live session's longest silence (92 s)", () => {
    const kits = {
      aws: awsLoadBalancer(),
      azure: azureLoadBalancer({ owner: "o" }),
      alicloud: alicloudLoadBalancer(["cn-hangzhou-i", "cn-hangzhou-j"]),
    };
    for (const [cloud, lb] of Object.entries(kits)) {
      assert.ok(lb.tcpIdleTimeoutSeconds > keepaliveSilenceSeconds, `${cloud}: ${lb.tcpIdleTimeoutSeconds} s`);
      assert.ok(["Local", "Cluster"].includes(lb.externalTrafficPolicy), cloud);
    }
    assert.equal(keepaliveSilenceSeconds, 92);
  });
});
