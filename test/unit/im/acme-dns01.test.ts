import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import { alidnsDns01Actions, alidnsDns01Policy } from "../../../components/alicloud/permissions";
import { route53Dns01Policy } from "../../../components/aws/permissions";
import { certManagerSubject } from "../../../components/azure/identity";
import { builtInRoles, dnsZoneId } from "../../../components/azure/permissions";
import { certManagerWorkload } from "../../../components/contract";
import {
  alidnsCredentials,
  alidnsWebhook,
  alidnsWebhookValues,
  dns01Solver,
} from "../../../components/kubernetes/acme-solvers";
import { acmeIssuerSpec, acmeServers, certManagerIdentityValues } from "../../../components/kubernetes/cert-manager";
import { certManagerNetworkPolicies } from "../../../components/kubernetes/system-network-policies";
import { helmCharts } from "../../../components/kubernetes/versions";
import type { Dns01Config } from "../../../config/acme";

/*
 * Sources, read for the pinned cert-manager chart (versions.ts, v1.19.1):
 * - ACME DNS-01 solver shapes: cert-manager's API reference (https://cert-manager.io/docs/reference/api-docs/,
 *   ACMEChallengeSolverDNS01, ACMEIssuerDNS01ProviderRoute53, ACMEIssuerDNS01ProviderAzureDNS,
 *   ACMEIssuerDNS01ProviderWebhook), checked here with the CRD models of @kubernetes-models/cert-manager.
 * - Route 53: https://cert-manager.io/docs/configuration/acme/dns01/route53/ (repo cert-manager/website,
 *   content/docs/configuration/acme/dns01/route53.md): GetChange on change/*, ChangeResourceRecordSets and
 *   ListResourceRecordSets on the hosted zone, TXT only; ListHostedZonesByName "can be removed if you specify the
 *   (optional) hostedZoneID"; IRSA through the ServiceAccount annotation eks.amazonaws.com/role-arn. The
 *   _acme-challenge.* name condition is kops' (kubernetes/kops commit 0b65811, "Tighten IAM permissions for
 *   cert-manager", pkg/model/components/addonmanifests/certmanager/iam.go).
 * - Azure DNS: https://cert-manager.io/docs/configuration/acme/dns01/azuredns/ (content/docs/configuration/acme/
 *   dns01/azuredns.md): pod label azure.workload.identity/use "true" through Helm `podLabels`, a federated credential
 *   for system:serviceaccount:cert-manager:cert-manager, "DNS Zone Contributor" on the zone, and the azureDNS stanza
 *   hostedZoneName/resourceGroupName/subscriptionID/environment/managedIdentity.clientID.
 *   Role id: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/networking#dns-zone-contributor
 * - alidns webhook: github.com/wjiec/alidns-webhook (README.md, config.go, alidns.go, charts/alidns-webhook at chart
 *   1.0.1): solverName "alidns" (AliSolver.Name), config keys region/accessKeyIdRef/accessKeySecretRef read from a
 *   Secret, no ambient credentials (so no RRSA); chart values groupName, certManager.serviceAccountName,
 *   podSecurityContext, securityContext; image tag defaults to the chart version; container port 443.
 * - Alibaba Cloud DNS RAM resources: https://www.alibabacloud.com/help/en/dns/ram-authorization
 *   (acs:alidns:*:$accountid:domain/$domainName).
 */

const route53: Dns01Config = { provider: "route53", zone: "example.com", hostedZoneId: "Z0123456789ABC" };
const azureDns: Dns01Config = {
  provider: "azure-dns",
  zone: "example.com",
  subscriptionId: "00000000-0000-0000-0000-000000000001",
  resourceGroup: "dns-zones",
};
const alidns: Dns01Config = { provider: "alidns", zone: "example.com" };
const gateway = { name: "warbler-edge", namespace: "warbler-im", sectionName: "http" };
const facts = { region: "eu-central-1", clientId: "11111111-2222-3333-4444-555555555555" };

/** A ClusterIssuer carrying `solver`, validated against cert-manager's CRD schema. */
function issuerWith(solver: Record<string, unknown> | undefined) {
  const spec = acmeIssuerSpec("ops@example.com", "staging", gateway, solver);
  const issuer = new ClusterIssuer({ metadata: { name: "letsencrypt" }, spec } as never);
  issuer.validate();
  return spec as { acme: { solvers: Record<string, unknown>[]; server: string } };
}

describe("ACME DNS-01 solvers in cert-manager v1's shapes", () => {
  it("pins the cert-manager chart the shapes were read for", () => {
    assert.equal(helmCharts.certManager.version, "v1.19.1");
  });

  it("keeps HTTP-01, through the Gateway's HTTP listener, when no DNS-01 solver is given", () => {
    const spec = issuerWith(undefined);
    assert.deepEqual(spec.acme.solvers, [
      {
        http01: {
          gatewayHTTPRoute: {
            parentRefs: [{ kind: "Gateway", name: "warbler-edge", namespace: "warbler-im", sectionName: "http" }],
          },
        },
      },
    ]);
    assert.equal(spec.acme.server, acmeServers.staging);
  });

  it("route53: the hosted zone id and region, ambient IRSA credentials, limited to the zone", () => {
    const solver = dns01Solver(route53, facts);
    const spec = issuerWith(solver);
    assert.deepEqual(spec.acme.solvers, [
      {
        selector: { dnsZones: ["example.com"] },
        dns01: { route53: { region: "eu-central-1", hostedZoneID: "Z0123456789ABC" } },
      },
    ]);
    // No key id, secret or role: IRSA's web identity is the credential.
    const stanza = (solver.dns01 as { route53: object }).route53;
    assert.deepEqual(Object.keys(stanza).sort(), ["hostedZoneID", "region"]);
  });

  it("azureDNS: the zone, its group and subscription, and the managed identity's client id", () => {
    const solver = dns01Solver(azureDns, facts);
    issuerWith(solver);
    assert.deepEqual(solver.dns01, {
      azureDNS: {
        subscriptionID: "00000000-0000-0000-0000-000000000001",
        resourceGroupName: "dns-zones",
        hostedZoneName: "example.com",
        environment: "AzurePublicCloud",
        managedIdentity: { clientID: facts.clientId },
      },
    });
    assert.throws(() => dns01Solver(azureDns, { region: "westeurope" }), /'clientId/);
  });

  it("alidns: the webhook's group and solver name, and the key pair Secret under config.go's keys", () => {
    const solver = dns01Solver(alidns, facts);
    issuerWith(solver);
    const webhook = (solver.dns01 as { webhook: Record<string, unknown> }).webhook;
    assert.equal(webhook.groupName, alidnsWebhook.groupName);
    assert.equal(webhook.solverName, "alidns");
    assert.deepEqual(Object.keys(webhook.config as object).sort(), ["accessKeyIdRef", "accessKeySecretRef"]);
    assert.deepEqual((webhook.config as Record<string, unknown>).accessKeyIdRef, {
      name: alidnsCredentials.secretName,
      key: alidnsCredentials.accessKeyIdKey,
    });
  });

  it("the CRD schema refuses a solver stanza of the wrong type, so the validation above can fail", () => {
    const bad = { dns01: { route53: { hostedZoneID: 42 } } };
    assert.throws(() =>
      new ClusterIssuer({
        metadata: { name: "x" },
        spec: acmeIssuerSpec("ops@example.com", "staging", gateway, bad),
      } as never).validate(),
    );
  });
});

describe("least privilege for the DNS-01 identities", () => {
  it("Route 53: GetChange, reading the one zone, and only TXT _acme-challenge changes in it", () => {
    const policy = route53Dns01Policy("Z0123456789ABC");
    const actions = policy.Statement.flatMap((s) => [s.Action].flat());
    assert.deepEqual(actions.sort(), [
      "route53:ChangeResourceRecordSets",
      "route53:GetChange",
      "route53:ListResourceRecordSets",
    ]);
    const change = policy.Statement.find((s) => s.Action === "route53:ChangeResourceRecordSets");
    assert.equal(change?.Resource, "arn:aws:route53:::hostedzone/Z0123456789ABC");
    assert.deepEqual(change?.Condition?.["ForAllValues:StringEquals"], {
      "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"],
    });
    assert.ok(!JSON.stringify(policy).includes("ListHostedZonesByName"), "the zone id makes the zone lookup needless");
  });

  it("Azure: DNS Zone Contributor on the zone's ARM id, trusted by cert-manager's ServiceAccount only", () => {
    assert.equal(builtInRoles.dnsZoneContributor, "befefa01-2a29-4197-83a8-272ff33ce314");
    assert.equal(
      dnsZoneId("00000000-0000-0000-0000-000000000001", "dns-zones", "example.com"),
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/dns-zones/providers/" +
        "Microsoft.Network/dnszones/example.com",
    );
    assert.equal(certManagerSubject, "system:serviceaccount:cert-manager:cert-manager");
    assert.deepEqual(certManagerWorkload, {
      namespace: helmCharts.certManager.namespace,
      serviceAccount: "cert-manager",
    });
  });

  it("Alibaba Cloud DNS: the webhook's four record calls on the one domain, nothing else", () => {
    const policy = JSON.parse(alidnsDns01Policy("example.com"));
    assert.deepEqual(policy.Statement, [
      { Effect: "Allow", Action: [...alidnsDns01Actions], Resource: ["acs:alidns:*:*:domain/example.com"] },
    ]);
    assert.deepEqual([...alidnsDns01Actions].sort(), [
      "alidns:AddDomainRecord",
      "alidns:DeleteSubDomainRecords",
      "alidns:DescribeDomainRecords",
      "alidns:UpdateDomainRecord",
    ]);
  });

  it("hands the identity to cert-manager's Helm values: SA annotations, pod labels only where used", () => {
    const annotations = { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x" } as never;
    assert.deepEqual(
      certManagerIdentityValues({
        kind: "irsa",
        serviceAccountAnnotations: annotations,
        podLabels: {},
        namespaceLabels: {},
      }),
      { serviceAccount: { annotations } },
    );
    const azure = certManagerIdentityValues({
      kind: "azure-workload-identity",
      serviceAccountAnnotations: {},
      podLabels: { "azure.workload.identity/use": "true" },
      namespaceLabels: {},
    });
    assert.deepEqual(azure.podLabels, { "azure.workload.identity/use": "true" });
    assert.deepEqual(certManagerIdentityValues(undefined), {});
  });
});

describe("the alidns webhook under Pod Security restricted", () => {
  it("runs non-root with no capabilities, RuntimeDefault seccomp and no privilege escalation", () => {
    const values = alidnsWebhookValues() as Record<string, Record<string, unknown>>;
    assert.equal(values.podSecurityContext.runAsNonRoot, true);
    assert.notEqual(values.podSecurityContext.runAsUser, 0);
    assert.deepEqual(values.podSecurityContext.seccompProfile, { type: "RuntimeDefault" });
    assert.equal(values.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(values.securityContext.capabilities, { drop: ["ALL"] });
    // Port 443 as non-root: the unprivileged-port sysctl, one of the "safe" sysctls the baseline profile allows.
    assert.deepEqual(values.podSecurityContext.sysctls, [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }]);
    assert.equal(values.groupName, alidnsWebhook.groupName);
    assert.deepEqual(values.certManager, { namespace: "cert-manager", serviceAccountName: "cert-manager" });
  });

  // One published values.yaml of github.com/wjiec/alidns-webhook's chart sets `image.tag: latest`, which its
  // deployment.yaml renders as is: the tag is named here, never left to the chart.
  it("pins the webhook's image to the chart's version", () => {
    const values = alidnsWebhookValues() as Record<string, Record<string, unknown>>;
    assert.deepEqual(values.image, { tag: alidnsWebhook.version });
    assert.match(alidnsWebhook.version, /^\d+\.\d+\.\d+$/);
  });
});

describe("cert-manager's network policies for DNS-01", () => {
  const names = (provider?: Dns01Config["provider"]) => certManagerNetworkPolicies(provider).map((p) => p.name);

  it("adds nothing for HTTP-01", () => {
    assert.ok(!names().includes("controller-to-nameservers"));
  });

  it("lets the controller query authoritative nameservers on 53 for the propagation self-check", () => {
    // cert-manager docs, "Setting Nameservers for DNS01 Self Check" (content/docs/configuration/acme/dns01/README.md):
    // it finds the zone's authoritative nameservers and queries them directly, unless
    // --dns01-recursive-nameservers-only.
    const policy = certManagerNetworkPolicies("route53").find((p) => p.name === "controller-to-nameservers");
    assert.deepEqual(policy?.spec.egress, [
      {
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ]);
    assert.ok(!names("route53").includes("alidns-webhook-from-api-server"));
  });

  it("lets the API server reach the alidns webhook on 443", () => {
    const policy = certManagerNetworkPolicies("alidns").find((p) => p.name === "alidns-webhook-from-api-server");
    assert.deepEqual(policy?.spec.podSelector, { matchLabels: { "app.kubernetes.io/name": "alidns-webhook" } });
    assert.deepEqual(policy?.spec.ingress, [{ ports: [{ protocol: "TCP", port: 443 }] }]);
  });
});
