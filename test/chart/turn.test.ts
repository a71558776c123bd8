import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { renderEjabberdConfig } from "../../charts/im/ejabberd-config";
import { privateRanges } from "../../charts/im/eturnal-config";
import { gatewayProxyPodLabels, imPorts } from "../../charts/im/props";
import { ejabberdGateway } from "../../charts/im/routes";
import { kitDescriptors } from "../../components/kits";
import { clusterEjabberdSpec } from "../../components/kubernetes/im-props";
import { ConfigError, loadConfig } from "../../config/load";
import type { PlatformConfig } from "../../config/schema";
import { readStackFile } from "../../config/stack-file";
import { exampleConfig, sampleFacts, synthesizeFor } from "./fixtures";

/**
 * The TURN server (eturnal) as the chart renders it, and the flows around it.
 *
 * Upstream facts these tests pin (processone/eturnal):
 * - The image is user eturnal, uid 9000, and sets `cap_net_bind_service=+ep` on beam.smp
 *   (docker-k8s/image/Dockerfile: `setcap 'cap_net_bind_service=+ep' $(find ... -name beam.smp)`); its wrapper asks a
 *   public STUN service for the address unless `STUN_SERVICE` is "false".
 * - A custom config goes to /etc/eturnal.yml (CHANGELOG 1.9.1: mounting over /opt/eturnal/etc stops the container).
 * - Listeners, TLS files and modules are eturnal.yml options only (doc/overview.edoc, "Global Configuration");
 *   `transport: auto` takes TCP and TLS on one port (CHANGELOG 1.6.0); `mod_stats_prometheus` takes ip, port, tls and
 *   vm_metrics (config/eturnal.yml example, 1.10+).
 * - `eturnalctl status` boots a VM and, since 1.12.1, blocks up to 15 s (CHANGELOG 1.12.1): not a probe.
 * Mixed-protocol LoadBalancer Services: kubernetes/enhancements KEP "different protocols in the same Service
 * definition with type=LoadBalancer" (GA in 1.26); Azure supports them (kubernetes-sigs/cloud-provider-azure#295).
 */

type Obj = Record<string, any>;

/** The aws example stack with `warbler:im` changes and, optionally, a DNS-01 solver (Route 53). */
function awsConfig(im: Record<string, unknown>, dns01: boolean): PlatformConfig {
  const raw = readStackFile("aws").config;
  const acme = raw["warbler:acme"] as Record<string, unknown>;
  const config = loadConfig(
    {
      ...raw,
      "warbler:im": { ...(raw["warbler:im"] as object | undefined), ...im },
      "warbler:acme": dns01
        ? { ...acme, dns01: { provider: "route53", zone: "example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" } }
        : acme,
    },
    { cloudRules: kitDescriptors },
  );
  if (config.kind !== "platform") throw new Error("aws is not a platform stack");
  return config;
}
const find = (objects: Obj[], kind: string, name: string) => {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  assert.ok(o, `${kind}/${name} is rendered`);
  return o;
};

describe("TURN (eturnal) in the IM chart", () => {
  const aws = exampleConfig("aws", { turnRelayPorts: { from: 50000, to: 50009 } });
  const objects = synthesizeFor(aws);
  const deployment = find(objects, "Deployment", "eturnal");
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it("adds back NET_BIND_SERVICE only, on a read-only root, so the image's beam.smp can exec", () => {
    assert.deepEqual(container.securityContext.capabilities, { drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.equal(pod.securityContext.runAsUser, 9000);
    assert.equal(pod.serviceAccountName, "eturnal");
    assert.equal(pod.automountServiceAccountToken, false);
  });

  it("probes an open TCP socket, never eturnalctl (which boots a second VM)", () => {
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      assert.equal(container[probe].exec, undefined, probe);
      assert.equal(container[probe].tcpSocket.port, imPorts.turnStreamTarget, probe);
    }
  });

  it("mounts the rendered eturnal.yml at the image's config path and a writable run_dir", () => {
    const config = container.volumeMounts.find((m: Obj) => m.name === "config");
    assert.equal(config.mountPath, "/etc/eturnal.yml");
    assert.equal(config.subPath, "eturnal.yml");
    const run = container.volumeMounts.find((m: Obj) => m.name === "run");
    assert.equal(run.mountPath, "/opt/eturnal/run");
    assert.ok(pod.volumes.find((v: Obj) => v.name === "run").emptyDir);
    assert.deepEqual(
      container.env.map((e: Obj) => e.name),
      ["ETURNAL_SECRET", "STUN_SERVICE"],
    );
    assert.equal(container.env[1].value, "false");
  });

  it("turns on the Prometheus listener on the port the metrics Service and ServiceMonitor scrape", () => {
    const yml = parse(find(objects, "ConfigMap", "eturnal-config").data["eturnal.yml"]).eturnal;
    assert.equal(yml.modules.mod_stats_prometheus.port, imPorts.turnMetrics);
    assert.equal(yml.modules.mod_stats_prometheus.ip, "0.0.0.0");
    const metrics = find(objects, "Service", "eturnal-metrics");
    assert.equal(metrics.spec.ports[0].targetPort, imPorts.turnMetrics);
    assert.equal(metrics.spec.ports[0].name, "metrics");
    const monitor = find(objects, "ServiceMonitor", "eturnal");
    assert.equal(monitor.spec.endpoints[0].port, "metrics");
    assert.ok(container.ports.some((p: Obj) => p.containerPort === imPorts.turnMetrics));
  });

  it("relays on the configured range, from the kit's static address", () => {
    const yml = parse(find(objects, "ConfigMap", "eturnal-config").data["eturnal.yml"]).eturnal;
    assert.equal(yml.relay_min_port, 50000);
    assert.equal(yml.relay_max_port, 50009);
    assert.equal(yml.relay_ipv4_addr, sampleFacts.aws.turnRelayIpv4);
    assert.deepEqual(yml.blacklist_peers, ["recommended", ...privateRanges]);
  });

  it("publishes UDP 3478, the relay range and TCP 443 on one LoadBalancer, no port on both protocols", () => {
    const service = find(objects, "Service", "eturnal");
    assert.equal(service.spec.type, "LoadBalancer");
    const ports: Obj[] = service.spec.ports;
    assert.equal(ports.length, 10 + 2);
    const tcp = ports.filter((p) => p.protocol === "TCP");
    assert.deepEqual(
      tcp.map((p) => [p.port, p.targetPort]),
      [[443, imPorts.turnStreamTarget]],
    );
    const udpPorts = new Set(ports.filter((p) => p.protocol === "UDP").map((p) => p.port));
    assert.ok(udpPorts.has(3478));
    for (let port = 50000; port <= 50009; port++) assert.ok(udpPorts.has(port), String(port));
    // An NLB needs a TCP_UDP listener for one port on both protocols; the chart never asks for one.
    assert.ok(!udpPorts.has(443));
    // The kit's annotations bind it to the TURN address.
    for (const [k, v] of Object.entries(sampleFacts.aws.turnAnnotations))
      assert.equal(service.metadata.annotations[k], v);
  });

  it("admits TURN over TCP/TLS and the relay range from anywhere, and relays only to public addresses", () => {
    const from = find(objects, "NetworkPolicy", "turn-from-clients");
    const ports = from.spec.ingress[0].ports;
    assert.ok(ports.some((p: Obj) => p.protocol === "TCP" && p.port === imPorts.turnStreamTarget));
    assert.ok(ports.some((p: Obj) => p.protocol === "UDP" && p.port === 50000 && p.endPort === 50009));
    const to = find(objects, "NetworkPolicy", "turn-relay-to-internet");
    assert.deepEqual(to.spec.egress[0].to[0].ipBlock.except, privateRanges);
  });

  it("offers plain TCP only, and no certificate, unless im.turnTls is set", () => {
    const yml = parse(find(objects, "ConfigMap", "eturnal-config").data["eturnal.yml"]).eturnal;
    assert.equal(yml.listen[1].transport, "tcp");
    assert.equal(yml.tls_crt_file, undefined);
    assert.equal(
      objects.find((o) => o.kind === "Certificate" && o.metadata.name === "eturnal-tls"),
      undefined,
    );
    const stun = parse(renderEjabberdConfig(clusterEjabberdSpec(aws, sampleFacts.aws))).modules.mod_stun_disco;
    assert.deepEqual(
      stun.services.map((s: Obj) => [s.host, s.port, s.type, s.transport]),
      [
        ["203.0.113.10", 3478, "turn", "udp"],
        ["203.0.113.10", 443, "turn", "tcp"],
      ],
    );
  });

  it("with im.turnTls, serves TLS on 443 with a certificate for turn.<domain> and announces turns by that name", () => {
    const config = awsConfig({ turnTls: true }, true);
    const tlsObjects = synthesizeFor(config);
    const certificate = find(tlsObjects, "Certificate", "eturnal-tls");
    assert.deepEqual(certificate.spec.dnsNames, [`turn.${config.domain}`]);
    const yml = parse(find(tlsObjects, "ConfigMap", "eturnal-config").data["eturnal.yml"]).eturnal;
    assert.equal(yml.listen[1].transport, "auto");
    assert.equal(yml.tls_crt_file, "/opt/eturnal/tls/tls.crt");
    assert.equal(yml.tls_key_file, "/opt/eturnal/tls/tls.key");
    const tlsPod = find(tlsObjects, "Deployment", "eturnal").spec.template.spec;
    assert.equal(tlsPod.volumes.find((v: Obj) => v.name === "tls").secret.secretName, "eturnal-tls");
    // eturnal reads the PEM files at start only: an alert says when a renewed certificate waits for a restart.
    const alerts = (objs: Obj[]) =>
      find(objs, "PrometheusRule", "eturnal").spec.groups[0].rules.map((r: Obj) => r.alert);
    assert.deepEqual(alerts(tlsObjects), ["TurnCertificateNotLoaded", "TurnServerDown"]);
    assert.deepEqual(alerts(objects), ["TurnServerDown"]);
    const stun = parse(renderEjabberdConfig(clusterEjabberdSpec(config, sampleFacts.aws))).modules.mod_stun_disco;
    assert.deepEqual(stun.services.at(-1), {
      host: `turn.${config.domain}`,
      port: 443,
      type: "turns",
      transport: "tcp",
      restricted: true,
    });
  });

  it("refuses im.turnTls without a DNS-01 solver, naming the key (exit 2)", () => {
    assert.throws(
      () => awsConfig({ turnTls: true }, false),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.exitCode === 2 &&
        err.issues.some((i) => i.key === "warbler:im.turnTls" && /acme\.dns01/.test(i.message)),
    );
  });

  it("rolls the pod when eturnal.yml changes (eturnal reads it at start)", () => {
    const other = synthesizeFor(exampleConfig("aws", { turnRelayPorts: { from: 50000, to: 50019 } }));
    const hash = (objs: Obj[]) =>
      find(objs, "Deployment", "eturnal").spec.template.metadata.annotations["warbler.io/eturnal-config"];
    assert.match(hash(objects), /^[0-9a-f]{64}$/);
    assert.notEqual(hash(objects), hash(other));
  });
});

describe("ejabberd's HTTP port and the admin network", () => {
  const withCidrs = exampleConfig("aws", { adminApi: true, adminCidrs: ["198.51.100.0/24"] });
  const objects = synthesizeFor(withCidrs);

  it("admits only the Gateway's Envoy proxies (namespace AND pod labels) to ejabberd's PROXY listener", () => {
    const policy = find(objects, "NetworkPolicy", "ejabberd-from-gateway");
    assert.equal(policy.spec.ingress.length, 1);
    const [peer] = policy.spec.ingress[0].from;
    assert.equal(policy.spec.ingress[0].from.length, 1);
    // Both selectors in one peer: a pod must match both, so no other pod of that namespace gets in.
    assert.deepEqual(peer.namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": "envoy-gateway-system" });
    assert.deepEqual(peer.podSelector.matchLabels, gatewayProxyPodLabels);
    assert.deepEqual(policy.spec.ingress[0].ports, [{ protocol: "TCP", port: ejabberdGateway.port }]);
  });

  it("no policy admits anything to ejabberd's plain HTTP port, and no other one to its PROXY listener", () => {
    const http = objects
      .filter((o) => o.kind === "NetworkPolicy" && o.metadata.name !== "ejabberd-from-gateway")
      .filter((o) =>
        (o.spec.ingress ?? []).some((r: Obj) => (r.ports ?? []).some((p: Obj) => [5280, 5281].includes(p.port))),
      );
    assert.deepEqual(
      http.map((o) => o.metadata.name),
      [],
    );
  });

  it("believes no X-Forwarded-For; allows /api from loopback and the operator's networks, never the pod ranges", () => {
    const facts = sampleFacts.aws;
    const published = parse(renderEjabberdConfig(clusterEjabberdSpec(withCidrs, facts)));
    assert.equal(published.trusted_proxies, undefined);
    // The client's address arrives in Envoy's PROXY v2 header, so the pod and VPC ranges (the proxies' own
    // addresses) would admit anyone the Gateway forwards: they must not be on the list.
    assert.deepEqual(published.acl.admin_network.ip, ["127.0.0.1/32", "198.51.100.0/24"]);
    assert.ok(!published.acl.admin_network.ip.includes(withCidrs.cluster.podCidr));
    assert.ok(!published.acl.admin_network.ip.includes(withCidrs.network.cidr));
    const off = exampleConfig("aws", { adminApi: false, adminCidrs: [] });
    const unpublished = parse(renderEjabberdConfig(clusterEjabberdSpec(off, facts)));
    assert.equal(unpublished.trusted_proxies, undefined);
    assert.deepEqual(unpublished.acl.admin_network.ip, ["127.0.0.1/32"]);
  });
});

describe("push notifications (im.push)", () => {
  it("are off by default: no push modules, no s2s egress", () => {
    const config = exampleConfig("aws");
    assert.equal(config.im.push, false);
    const rendered = parse(renderEjabberdConfig(clusterEjabberdSpec(config, sampleFacts.aws)));
    assert.equal(rendered.modules.mod_push, undefined);
    assert.equal(rendered.modules.mod_push_keepalive, undefined);
    const objects = synthesizeFor(config);
    assert.equal(
      objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "ejabberd-push-to-internet"),
      undefined,
    );
  });

  it("on, enable both modules, require TLS on s2s, and open 5269/TCP to public addresses only", () => {
    const config = exampleConfig("aws", { push: true });
    const rendered = parse(renderEjabberdConfig(clusterEjabberdSpec(config, sampleFacts.aws)));
    assert.deepEqual(rendered.modules.mod_push, {});
    assert.deepEqual(rendered.modules.mod_push_keepalive, {});
    assert.equal(rendered.s2s_use_starttls, "required");
    const policy = find(synthesizeFor(config), "NetworkPolicy", "ejabberd-push-to-internet");
    assert.deepEqual(policy.spec.podSelector.matchLabels["app.kubernetes.io/name"], "ejabberd");
    assert.deepEqual(policy.spec.egress, [
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: privateRanges } }], ports: [{ protocol: "TCP", port: 5269 }] },
    ]);
  });
});
