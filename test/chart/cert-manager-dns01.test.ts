import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { AcmeDns01Access } from "../../components/contract";
import { alidnsCredentials, alidnsWebhook } from "../../components/kubernetes/acme-solvers";
import { CertManager } from "../../components/kubernetes/cert-manager";
import type { Dns01Config } from "../../config/acme";
import { randomMocks } from "../../plan/mocks/random";
import { type RecordedProgram, recordProgram } from "../../plan/record";

/*
 * cert-manager with each DNS-01 provider under mocks: what reaches the Helm release, the ClusterIssuer and the
 * cluster. The shapes themselves are cited in test/unit/im/acme-dns01.test.ts.
 */

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";

async function record(config: Dns01Config | undefined, access?: AcmeDns01Access): Promise<RecordedProgram> {
  return recordProgram(
    () => {
      const provider = new Provider("test-cluster", { kubeconfig: "apiVersion: v1" });
      new CertManager("certs", {
        provider,
        email: "ops@example.com",
        server: "staging",
        http01Gateway: { name: "warbler-edge", namespace: "warbler-im", sectionName: "http" },
        labels: { owner: "team", "data-classification": "internal" },
        dependsOn: [],
        dns01: config && { config, region: "eu-central-1", access },
      });
      return {};
    },
    {
      project: "warbler",
      stack: "test",
      region: "eu-central-1",
      accountId: "123456789012",
      subscriptionId: "00000000-0000-0000-0000-000000000000",
    },
    [randomMocks],
  );
}

const find = (plan: RecordedProgram, type: string, name: string) => {
  const found = plan.resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `${type} ${name} was not registered`);
  return found;
};
type IssuerSpec = { acme: { solvers: Record<string, any>[] } };

describe("cert-manager with a DNS-01 solver, under mocks", () => {
  it("HTTP-01 by default: no identity values, no webhook, the ingress solver", async () => {
    const plan = await record(undefined);
    const values = find(plan, RELEASE, "certs-release").inputs.values as Record<string, unknown>;
    assert.equal(values.serviceAccount, undefined);
    assert.equal(values.podLabels, undefined);
    assert.deepEqual(plan.resources.filter((r) => r.type === RELEASE).length, 1);
    const spec = find(plan, ISSUER, "certs-acme-issuer").inputs.spec as IssuerSpec;
    assert.deepEqual(spec.acme.solvers, [
      {
        http01: {
          gatewayHTTPRoute: {
            parentRefs: [{ kind: "Gateway", name: "warbler-edge", namespace: "warbler-im", sectionName: "http" }],
          },
        },
      },
    ]);
  });

  it("route53: the IRSA role on cert-manager's ServiceAccount and the zone's solver", async () => {
    const role = "arn:aws:iam::123456789012:role/warbler-acme";
    const plan = await record(
      { provider: "route53", zone: "example.com", hostedZoneId: "Z0123456789ABC" },
      {
        identity: {
          kind: "irsa",
          serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": pulumi.output(role) },
          podLabels: {},
          namespaceLabels: {},
        },
      },
    );
    const values = find(plan, RELEASE, "certs-release").inputs.values as Record<string, any>;
    assert.deepEqual(values.serviceAccount, { annotations: { "eks.amazonaws.com/role-arn": role } });
    const spec = find(plan, ISSUER, "certs-acme-issuer").inputs.spec as IssuerSpec;
    assert.deepEqual(spec.acme.solvers[0].dns01, {
      route53: { region: "eu-central-1", hostedZoneID: "Z0123456789ABC" },
    });
    assert.ok(
      plan.resources.some((r) => r.name === "certs-controller-to-nameservers"),
      "the propagation check reaches authoritative nameservers",
    );
  });

  it("azure-dns: the workload identity label and annotations, and the identity's client id in the solver", async () => {
    const clientId = "11111111-2222-3333-4444-555555555555";
    const plan = await record(
      { provider: "azure-dns", zone: "example.com", subscriptionId: clientId, resourceGroup: "dns" },
      {
        clientId: pulumi.output(clientId),
        identity: {
          kind: "azure-workload-identity",
          serviceAccountAnnotations: { "azure.workload.identity/client-id": pulumi.output(clientId) },
          podLabels: { "azure.workload.identity/use": "true" },
          namespaceLabels: {},
        },
      },
    );
    const values = find(plan, RELEASE, "certs-release").inputs.values as Record<string, any>;
    assert.deepEqual(values.podLabels, { "azure.workload.identity/use": "true" });
    assert.equal(values.serviceAccount.annotations["azure.workload.identity/client-id"], clientId);
    const spec = find(plan, ISSUER, "certs-acme-issuer").inputs.spec as IssuerSpec;
    assert.equal(spec.acme.solvers[0].dns01.azureDNS.managedIdentity.clientID, clientId);
  });

  it("alidns: the pinned webhook release, the key pair Secret, and the issuer after both", async () => {
    const plan = await record(
      { provider: "alidns", zone: "example.com" },
      { keyPair: { accessKeyId: pulumi.secret("LTAI-test"), accessKeySecret: pulumi.secret("secret-test") } },
    );
    const webhook = find(plan, RELEASE, "certs-alidns-webhook");
    assert.equal(webhook.inputs.chart, alidnsWebhook.chart);
    assert.equal(webhook.inputs.version, alidnsWebhook.version);
    assert.deepEqual(webhook.inputs.repositoryOpts, { repo: alidnsWebhook.repo });
    const secret = find(plan, "kubernetes:core/v1:Secret", "certs-alidns-credentials");
    assert.equal((secret.inputs.metadata as { name: string }).name, alidnsCredentials.secretName);
    assert.ok(plan.resources.some((r) => r.name === "certs-alidns-webhook-from-api-server"));
    const spec = find(plan, ISSUER, "certs-acme-issuer").inputs.spec as IssuerSpec;
    assert.equal(spec.acme.solvers[0].dns01.webhook.solverName, "alidns");
  });

  it("refuses a DNS-01 config the kit handed no access for, naming the provider", async () => {
    await assert.rejects(
      record({ provider: "route53", zone: "example.com", hostedZoneId: "Z0123456789ABC" }, undefined),
      /'dns01.provider' \(route53\) needs the kit's DNS-01 access/,
    );
  });
});
