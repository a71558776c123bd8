import assert from "node:assert/strict";
import { test } from "node:test";
import { awaitProgrammed } from "../../components/kubernetes/im-services";

// The layer reads the proxies' Service, which Envoy Gateway creates on its own, with a one-shot Service.get that
// never retries (pulumi-kubernetes#1177); `pulumi.com/waitFor` (pulumi-kubernetes 4.18+, pinned 4.34.2) holds the
// Gateway until it is Programmed, i.e. its Service exists with an address (Gateway API GatewayConditionProgrammed).
test("the Gateway, and only the Gateway, is awaited until Envoy Gateway reports it Programmed", () => {
  const gateway = { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "warbler-edge" } };
  const awaited = awaitProgrammed(gateway) as { metadata: { name: string; annotations: Record<string, string> } };
  assert.equal(awaited.metadata.annotations["pulumi.com/waitFor"], "condition=Programmed");
  assert.equal(awaited.metadata.name, "warbler-edge");
  const route = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "ws" } };
  assert.equal(awaitProgrammed(route), route);
});
