import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { parse } from "yaml";
import { clusterScript } from "../../charts/im/cluster-script";
import { defaultPorts, secretMacros } from "../../charts/im/ejabberd-config";
import { erlangDistPort } from "../../charts/im/erlang-tuning";
import { defaultImages, isPinned, resolveImChartProps } from "../../charts/im/props";
import { ejabberdGateway, routeNames } from "../../charts/im/routes";
import { imReplicas, imSizingFor } from "../../config/im";
import { imNodePool } from "../../lib/im-sizing";
import { exampleConfig, exampleStacks, sampleFacts, sampleUploadBundle, synthesizeFor } from "./fixtures";
import { gatewayKinds, gatewaySchemaProblems } from "./gateway-schema";

type Manifest = Record<string, any>;
type ModelClass = new (data: any) => { validate(): void };

const models: Record<string, ModelClass> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "apps/v1/StatefulSet": StatefulSet,
  "apps/v1/Deployment": Deployment,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "cert-manager.io/v1/Certificate": Certificate,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
};

function validate(object: Manifest): void {
  if (gatewayKinds.includes(`${object.apiVersion}/${object.kind}`)) {
    assert.deepEqual(gatewaySchemaProblems(object), [], `${object.kind} ${object.metadata.name}`);
    return;
  }
  const Model = models[`${object.apiVersion}/${object.kind}`];
  assert.ok(Model, `no schema for ${object.apiVersion} ${object.kind}: every object the chart emits must be validated`);
  const { apiVersion: _a, kind: _k, ...data } = object;
  new Model(data).validate();
}

const find = (objects: Manifest[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind} ${name} is missing`);
  return found;
};
const workloads = (objects: Manifest[]) => objects.filter((o) => o.kind === "StatefulSet" || o.kind === "Deployment");
const policy = (objects: Manifest[], name: string) => find(objects, "NetworkPolicy", name).spec;
const portsOf = (rule: { ports?: { protocol?: string; port?: number; endPort?: number }[] }) =>
  (rule.ports ?? []).map((p) => `${p.protocol}/${p.port ?? "*"}${p.endPort ? `-${p.endPort}` : ""}`).sort();

for (const stack of exampleStacks) {
  describe(`IM chart for the ${stack} example stack`, () => {
    const config = exampleConfig(stack, { adminApi: true, adminCidrs: ["203.0.113.0/24"] });
    const objects = synthesizeFor(config);

    it("validates every object against the Kubernetes and CRD schemas", () => {
      assert.ok(objects.length > 20);
      for (const object of objects) validate(object);
    });

    it("runs the namespace at Pod Security restricted, with owner and classification labels", () => {
      const namespace = find(objects, "Namespace", "warbler-im");
      assert.equal(namespace.metadata.namespace, undefined, "a Namespace is cluster-scoped");
      // The ReferenceGrant lives where the Service it grants is (Grafana's namespace), as Gateway API requires.
      const namespaced = objects.filter((o) => o.kind !== "Namespace" && o.kind !== "ReferenceGrant");
      assert.equal(find(objects, "ReferenceGrant", "warbler-im-routes").metadata.namespace, "monitoring");
      assert.ok(namespaced.length > 10, "the chart renders its objects");
      for (const object of namespaced)
        assert.equal(object.metadata.namespace, "warbler-im", `${object.kind} ${object.metadata.name}`);
      const labels = namespace.metadata.labels;
      assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
      assert.equal(labels["pod-security.kubernetes.io/audit"], "restricted");
      assert.equal(labels["pod-security.kubernetes.io/warn"], "restricted");
      for (const object of [find(objects, "Namespace", "warbler-im"), ...workloads(objects)]) {
        assert.equal(object.metadata.labels.owner, config.tags.owner, `${object.kind} ${object.metadata.name}`);
        assert.equal(object.metadata.labels["data-classification"], config.tags.dataClassification);
      }
      for (const [key, value] of Object.entries(sampleFacts[stack].identityNamespaceLabels))
        assert.equal(labels[key], value);
    });

    it(
      "hardens every container: non-root, read-only root, no escalation, RuntimeDefault seccomp, and no " +
        "capability but NET_BIND_SERVICE where the image's beam.smp carries it",
      () => {
        for (const workload of workloads(objects)) {
          const pod = workload.spec.template.spec;
          assert.equal(pod.hostNetwork ?? false, false);
          assert.equal(pod.hostPID ?? false, false);
          assert.ok(
            !(pod.volumes ?? []).some((v: Manifest) => v.hostPath),
            `${workload.metadata.name} mounts a hostPath`,
          );
          assert.equal(pod.securityContext.runAsNonRoot, true);
          assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
          assert.equal(pod.automountServiceAccountToken, false, `${workload.metadata.name} mounts an API token`);
          for (const container of pod.containers) {
            const sc = container.securityContext;
            const where = `${workload.metadata.name}/${container.name}`;
            assert.equal(sc.runAsNonRoot, true, where);
            assert.equal(sc.readOnlyRootFilesystem, true, where);
            assert.equal(sc.allowPrivilegeEscalation, false, where);
            assert.equal(sc.privileged, false, where);
            // ProcessOne's ejabberd and eturnal images setcap cap_net_bind_service=+ep on beam.smp: without it in
            // the bounding set, exec fails (test/e2e/file-capabilities.test.ts). Pod Security "restricted" allows
            // adding exactly NET_BIND_SERVICE (kubernetes.io/docs/concepts/security/pod-security-standards).
            const fileCaps = /^ghcr\.io\/processone\/(ejabberd|eturnal)[:@]/.test(container.image);
            assert.deepEqual(
              sc.capabilities,
              fileCaps ? { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } : { drop: ["ALL"] },
              where,
            );
            assert.equal(sc.seccompProfile.type, "RuntimeDefault", where);
            for (const kind of ["requests", "limits"]) {
              assert.ok(container.resources[kind].cpu && container.resources[kind].memory, `${where} has no ${kind}`);
            }
            assert.ok(container.readinessProbe && container.livenessProbe, `${where} lacks probes`);
            assert.ok(
              isPinned(container.image) && !container.image.endsWith(":latest"),
              `${where} image ${container.image}`,
            );
            // Writable paths are emptyDirs (or read-only config): nothing else can be written.
            for (const mount of container.volumeMounts ?? []) {
              const volume = pod.volumes.find((v: Manifest) => v.name === mount.name);
              assert.ok(volume.emptyDir || mount.readOnly, `${where} mounts ${mount.name} writable`);
            }
          }
        }
      },
    );

    it("uses the configured ejabberd image; only the upload service carries the kit's workload identity", () => {
      const ejabberd = find(objects, "StatefulSet", "ejabberd").spec.template.spec;
      assert.equal(ejabberd.containers[0].image, config.im.image);
      assert.equal(ejabberd.serviceAccountName, "ejabberd");
      assert.equal(find(objects, "ServiceAccount", "ejabberd").metadata.annotations, undefined);
      const accounts = objects.filter((o) => o.kind === "ServiceAccount");
      const annotated = accounts.filter((o) => o.metadata.annotations).map((o) => o.metadata.name);
      assert.deepEqual(annotated, ["warbler-upload"]);
      const uploadLabels = find(objects, "Deployment", "warbler-upload").spec.template.metadata.labels;
      const ejabberdLabels = find(objects, "StatefulSet", "ejabberd").spec.template.metadata.labels;
      for (const [key, value] of Object.entries(sampleFacts[stack].identityPodLabels)) {
        assert.equal(uploadLabels[key], value);
        assert.equal(ejabberdLabels[key], undefined, `ejabberd's pods carry the identity label ${key}`);
      }
    });

    it("sizes ejabberd from sessionsPerInstance and lands it alone on the dedicated pool's nodes", () => {
      const sizing = imSizingFor(config.im);
      const pod = find(objects, "StatefulSet", "ejabberd").spec.template.spec;
      const ejabberd = pod.containers.find((c: Manifest) => c.name === "ejabberd");
      assert.deepEqual(ejabberd.resources.limits, {
        cpu: String(sizing.pod.cpuLimit),
        memory: `${sizing.pod.memoryGiB}Gi`,
      });
      assert.deepEqual(ejabberd.resources.requests, {
        cpu: String(sizing.pod.cpuRequest),
        memory: `${sizing.pod.memoryGiB}Gi`,
      });
      const env = Object.fromEntries(ejabberd.env.map((e: Manifest) => [e.name, e.value]));
      assert.equal(env.NEEDED_OPEN_FILES, String(sizing.erlang.maxOpenFiles));
      const ctl = find(objects, "ConfigMap", "ejabberd-config").data["ejabberdctl.cfg"];
      assert.match(ctl, new RegExp(`^ERL_MAX_PORTS=${sizing.erlang.ports}$`, "m"));
      assert.match(ctl, new RegExp(`^ERL_PROCESSES=${sizing.erlang.processes}$`, "m"));
      assert.deepEqual(pod.nodeSelector, { [imNodePool.label.key]: imNodePool.label.value });
      assert.deepEqual(pod.tolerations, [{ ...imNodePool.taint, operator: "Equal" }]);
      const antiAffinity = pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
      assert.deepEqual(
        antiAffinity.map((t: Manifest) => t.topologyKey),
        ["kubernetes.io/hostname"],
      );
      // Only sysctls the kubelet treats as safe (kubernetes.io/docs/reference/node/kernel-version-requirements/):
      // an unsafe one would leave the pod in SysctlForbidden on every node without allowed-unsafe-sysctls.
      const names = pod.securityContext.sysctls.map((s: Manifest) => s.name);
      assert.deepEqual(names, [
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
      ]);
      assert.equal(pod.securityContext.sysctls[0].value, "300");
    });

    it("spreads ejabberd over zones, with a PodDisruptionBudget for every workload", () => {
      const sts = find(objects, "StatefulSet", "ejabberd");
      assert.equal(sts.spec.replicas, imReplicas(config.im));
      const zone = sts.spec.template.spec.topologySpreadConstraints.find(
        (c: Manifest) => c.topologyKey === "topology.kubernetes.io/zone",
      );
      assert.equal(zone.whenUnsatisfiable, "DoNotSchedule");
      assert.equal(zone.maxSkew, 1);
      for (const workload of workloads(objects)) {
        const pdb = objects.find(
          (o) =>
            o.kind === "PodDisruptionBudget" &&
            JSON.stringify(o.spec.selector.matchLabels) === JSON.stringify(workload.spec.selector.matchLabels),
        );
        assert.ok(pdb, `${workload.metadata.name} has no PodDisruptionBudget`);
      }
    });

    it(
      "clusters ejabberd through a headless Service on the fixed distribution port, joining on start and " +
        "leaving on stop",
      () => {
        const headless = find(objects, "Service", "ejabberd-headless");
        assert.equal(headless.spec.clusterIP, "None");
        assert.equal(headless.spec.publishNotReadyAddresses, true);
        assert.deepEqual(
          headless.spec.ports.map((p: Manifest) => p.port),
          [erlangDistPort],
        );
        const pod = find(objects, "StatefulSet", "ejabberd").spec.template.spec;
        const container = pod.containers[0];
        // tini stays PID 1, as the image's ENTRYPOINT has it, and runs the script.
        assert.deepEqual(container.command, [
          "/sbin/tini",
          "--",
          "/bin/sh",
          "/etc/warbler/ejabberd/cluster.sh",
          "start",
        ]);
        assert.deepEqual(container.lifecycle.preStop.exec.command.slice(-1), ["leave"]);
        assert.deepEqual(container.readinessProbe.exec.command.slice(-1), ["ready"]);
        // Liveness boots no Erlang VM: a TCP connect to the HTTP listener.
        assert.deepEqual(container.livenessProbe.tcpSocket.port, 5280);
        assert.equal(container.livenessProbe.exec, undefined);
        // The readiness check runs every few seconds, so it must not boot an Erlang VM (ejabberdctl).
        const script: string = find(objects, "ConfigMap", "ejabberd-config").data["cluster.sh"];
        const ready = /\nready\)\n([\s\S]*?);;/.exec(script)?.[1];
        assert.ok(ready, "cluster.sh has a ready branch");
        assert.match(ready, /test -f "\$marker"/);
        assert.doesNotMatch(ready.replace(/^\s*#.*$/gm, ""), /\bctl\b/);
        // The cookie comes from the Secret only, as a file cluster.sh copies to $HOME/.erlang.cookie; HOME is an
        // emptyDir, not the image's VOLUME, where a cookie file would win over ERLANG_COOKIE.
        const envOf = (name: string) => container.env.find((e: Manifest) => e.name === name);
        assert.equal(envOf("ERLANG_COOKIE"), undefined);
        const cookieMount = container.volumeMounts.find((m: Manifest) => m.name === "erlang-cookie");
        assert.equal(`${cookieMount.mountPath}/cookie`, envOf("ERLANG_COOKIE_FILE").value);
        const cookieVolume = pod.volumes.find((v: Manifest) => v.name === "erlang-cookie");
        assert.equal(cookieVolume.secret.secretName, "ejabberd-erlang-cookie");
        const home = container.volumeMounts.find((m: Manifest) => m.mountPath === envOf("HOME").value);
        assert.ok(pod.volumes.find((v: Manifest) => v.name === home.name).emptyDir, "HOME is an emptyDir");
        assert.equal(pod.securityContext.runAsUser, 9000, "the image's ejabberd user");
        const ctl = find(objects, "ConfigMap", "ejabberd-config").data["ejabberdctl.cfg"];
        assert.match(ctl, new RegExp(`^ERL_DIST_PORT=${erlangDistPort}$`, "m"));
        assert.match(ctl, new RegExp(`^ERL_MAX_PORTS=${imSizingFor(config.im).erlang.ports}$`, "m"));
      },
    );

    it("keeps secrets out of the manifests: no Secret objects, the config names macros only", () => {
      assert.equal(objects.filter((o) => o.kind === "Secret").length, 0);
      const yml = find(objects, "ConfigMap", "ejabberd-config").data["ejabberd.yml"];
      assert.match(yml, new RegExp(`sql_password: ${secretMacros.sqlPassword}$`, "m"));
      assert.doesNotMatch(yml, /sql_ssl_verify/);
      assert.match(yml, /auth_password_format: scram/);
    });

    // ejabberd cannot verify the database's host name (processone/ejabberd#4180): a sidecar does the TLS.
    // Native sidecars (init containers with restartPolicy Always) are on by default since Kubernetes 1.29,
    // kubernetes.io/docs/concepts/workloads/pods/sidecar-containers; test/unit/im/sql-tls-proxy.test.ts checks the
    // kits' pinned versions.
    it("reaches the database through a restricted native sidecar that verifies the real host over TLS", () => {
      const pod = find(objects, "StatefulSet", "ejabberd").spec.template.spec;
      const proxy = pod.initContainers.find((c: Manifest) => c.name === "sql-tls-proxy");
      assert.equal(proxy.restartPolicy, "Always", "a native sidecar: up before ejabberd starts");
      assert.ok(proxy.startupProbe.httpGet && proxy.readinessProbe.httpGet);
      assert.equal(proxy.image, defaultImages.node);
      assert.deepEqual(proxy.command, ["node", "/etc/warbler/ejabberd/sql-tls-proxy.js"]);
      assert.equal(proxy.securityContext.runAsNonRoot, true);
      assert.equal(proxy.securityContext.runAsUser, 1000);
      assert.equal(proxy.securityContext.allowPrivilegeEscalation, false);
      assert.deepEqual(proxy.securityContext.capabilities, { drop: ["ALL"] });
      assert.ok(proxy.resources.limits.memory && proxy.resources.requests.cpu);
      const env = Object.fromEntries(proxy.env.map((e: Manifest) => [e.name, e.value]));
      assert.equal(env.WARBLER_SQL_PROXY_UPSTREAM_HOST, sampleFacts[config.cloud].databaseHost);
      assert.equal(env.WARBLER_SQL_PROXY_UPSTREAM_PORT, "5432");
      const caMount = proxy.volumeMounts.find((m: Manifest) => m.name === "database-ca");
      assert.equal(env.WARBLER_SQL_PROXY_CA_FILE, `${caMount.mountPath}/ca.pem`);
      const caVolume = pod.volumes.find((v: Manifest) => v.name === "database-ca");
      assert.equal(caVolume.secret.secretName, "ejabberd-database-ca");
      const configMap = find(objects, "ConfigMap", "ejabberd-config").data;
      assert.equal(configMap["sql-tls-proxy.js"], "/* sql-tls-proxy */");
      // ejabberd itself talks plain PostgreSQL to the proxy on loopback, and holds no CA.
      const yml = parse(configMap["ejabberd.yml"]);
      assert.equal(yml.sql_server, "127.0.0.1");
      assert.equal(String(yml.sql_port), env.WARBLER_SQL_PROXY_PORT);
      assert.equal(yml.sql_ssl, false);
      const ejabberd = pod.containers.find((c: Manifest) => c.name === "ejabberd");
      assert.ok(!ejabberd.volumeMounts.some((m: Manifest) => m.name === "database-ca"));
      // The database egress policy covers the whole pod, so it covers the sidecar.
      const database = policy(objects, "ejabberd-to-database");
      assert.deepEqual(
        database.podSelector.matchLabels,
        find(objects, "StatefulSet", "ejabberd").spec.selector.matchLabels,
      );
    });

    it("denies all traffic by default and allows exactly the needed flows and ports", () => {
      const deny = policy(objects, "default-deny");
      assert.deepEqual(deny.podSelector, {});
      assert.deepEqual(deny.policyTypes, ["Ingress", "Egress"]);
      assert.equal(deny.ingress, undefined);
      assert.equal(deny.egress, undefined);
      assert.deepEqual(portsOf(policy(objects, "allow-dns").egress[0]), ["TCP/53", "UDP/53"]);
      // Only the Gateway's Envoy proxies, not every pod of their namespace, reach the HTTP backends; ejabberd only on
      // the listener that requires their PROXY header.
      const proxies = {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "envoy-gateway-system" } },
        podSelector: {
          matchLabels: {
            "gateway.envoyproxy.io/owning-gateway-name": "warbler-edge",
            "gateway.envoyproxy.io/owning-gateway-namespace": "warbler-im",
          },
        },
      };
      const fromGateway = policy(objects, "ejabberd-from-gateway").ingress[0];
      assert.deepEqual(fromGateway.from, [proxies]);
      assert.deepEqual(portsOf(fromGateway), [`TCP/${ejabberdGateway.port}`]);
      assert.deepEqual(policy(objects, "upload-service-from-gateway").ingress[0].from, [proxies]);
      assert.deepEqual(policy(objects, "acme-solver-from-gateway").ingress[0].from, [proxies]);
      assert.deepEqual(portsOf(policy(objects, "ejabberd-from-clients").ingress[0]), [
        `TCP/${defaultPorts.c2s}`,
        `TCP/${defaultPorts.c2sTls}`,
      ]);
      const dist = policy(objects, "ejabberd-erlang-distribution");
      assert.deepEqual(portsOf(dist.ingress[0]), [`TCP/${erlangDistPort}`]);
      assert.deepEqual(portsOf(dist.egress[0]), [`TCP/${erlangDistPort}`]);
      assert.deepEqual(dist.ingress[0].from, [{ podSelector: find(objects, "StatefulSet", "ejabberd").spec.selector }]);
      const database = policy(objects, "ejabberd-to-database").egress[0];
      assert.deepEqual(database.to, [{ ipBlock: { cidr: config.network.cidr } }]);
      assert.deepEqual(portsOf(database), ["TCP/5432"]);
      assert.deepEqual(portsOf(policy(objects, "upload-service-to-object-storage").egress[0]), ["TCP/443"]);
      assert.deepEqual(portsOf(policy(objects, "upload-service-to-database").egress[0]), ["TCP/5432"]);
      const metrics = policy(objects, "metrics-from-prometheus").ingress[0];
      assert.deepEqual(metrics.from, [
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
      ]);
      assert.deepEqual(portsOf(metrics), ["TCP/8081", "TCP/9150", "TCP/9151"]);
      const relay = policy(objects, "turn-relay-to-internet").egress[0].to[0].ipBlock;
      assert.ok(
        relay.except.includes("10.0.0.0/8") && relay.except.includes("169.254.0.0/16"),
        "TURN can relay into private ranges",
      );
      // Every policy but default-deny names its ports: no "allow all ports".
      const allows = objects.filter((o) => o.kind === "NetworkPolicy" && o.metadata.name !== "default-deny");
      assert.ok(allows.length > 0, "the chart renders allow policies");
      for (const np of allows) {
        for (const rule of [...(np.spec.ingress ?? []), ...(np.spec.egress ?? [])])
          assert.ok(rule.ports?.length, `${np.metadata.name} allows every port`);
      }
    });

    it("serves /api, /admin and /grafana only to the allow-listed CIDRs, and every route over TLS", () => {
      const routes = objects.filter((o) => o.kind === "HTTPRoute");
      const paths = (route: Manifest) =>
        route.spec.hostnames.flatMap((h: string) =>
          route.spec.rules.flatMap((r: Manifest) =>
            (r.matches ?? [{ path: { value: "*" } }]).map((m: Manifest) => `${h}${m.path.value}`),
          ),
        );
      const admin = find(objects, "HTTPRoute", routeNames.admin);
      assert.deepEqual(paths(admin), [`${config.domain}/api`, `${config.domain}/admin`]);
      assert.deepEqual(paths(find(objects, "HTTPRoute", routeNames.grafana)), [`${config.domain}/grafana`]);
      const restricted = find(objects, "SecurityPolicy", "admin-allow-list").spec;
      assert.deepEqual(restricted.targetRefs.map((t: Manifest) => t.name).sort(), [
        routeNames.admin,
        routeNames.grafana,
      ]);
      assert.equal(restricted.authorization.defaultAction, "Deny");
      assert.deepEqual(restricted.authorization.rules, [
        { name: "admin-networks", action: "Allow", principal: { clientCIDRs: ["203.0.113.0/24"] } },
      ]);
      for (const route of routes.filter((r) => ![routeNames.admin, routeNames.grafana].includes(r.metadata.name))) {
        assert.ok(
          !paths(route).some((p: string) => /\/(api|admin|grafana)/.test(p)),
          `${route.metadata.name} exposes admin`,
        );
        assert.ok(!paths(route).includes(`${config.domain}/`), `${route.metadata.name} routes the whole domain`);
      }
      assert.deepEqual(paths(find(objects, "HTTPRoute", routeNames.websocket)), [`${config.domain}/ws`]);
      assert.deepEqual(paths(find(objects, "HTTPRoute", routeNames.uploads)), [`upload.${config.domain}/`]);
      const gateway = find(objects, "Gateway", "warbler-edge").spec;
      const https = gateway.listeners.find((l: Manifest) => l.protocol === "HTTPS");
      assert.deepEqual(https.tls.certificateRefs, [{ kind: "Secret", name: "ejabberd-tls" }]);
      // Every route but the redirect is on the HTTPS listener; the HTTP listener only redirects.
      for (const route of routes) {
        const section = route.metadata.name === routeNames.redirect ? "http" : "https";
        assert.deepEqual(route.spec.parentRefs, [{ name: "warbler-edge", sectionName: section }], route.metadata.name);
      }
      const redirect = find(objects, "HTTPRoute", routeNames.redirect).spec.rules;
      assert.deepEqual(redirect, [
        { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
      ]);
      const cert = find(objects, "Certificate", "ejabberd-tls").spec;
      assert.deepEqual(cert.dnsNames, [config.domain, `upload.${config.domain}`]);
      assert.equal(cert.issuerRef.kind, "ClusterIssuer");
      assert.deepEqual(cert.additionalOutputFormats, [{ type: "CombinedPEM" }]);
    });

    it("lets Envoy send ejabberd a PROXY v2 header, declared by the backend Service and taken by the listener", () => {
      const sent = find(objects, "BackendTrafficPolicy", "ejabberd-proxy-protocol").spec;
      assert.deepEqual(sent.proxyProtocol, { version: "V2" });
      assert.deepEqual(sent.targetRefs.map((t: Manifest) => t.name).sort(), [routeNames.admin, routeNames.websocket]);
      const service = find(objects, "Service", ejabberdGateway.service);
      assert.equal(service.metadata.annotations["warbler.io/proxy-protocol"], "v2");
      const listeners = parse(find(objects, "ConfigMap", "ejabberd-config").data["ejabberd.yml"]).listen;
      const behindGateway = listeners.find((l: Manifest) => l.port === ejabberdGateway.port);
      assert.equal(behindGateway.use_proxy_protocol, true);
      assert.equal(behindGateway.ip, "0.0.0.0");
      assert.deepEqual(Object.keys(behindGateway.request_handlers).sort(), ["/admin", "/api", "/ws"]);
      // The plain HTTP listener and the client ports take no header: the kit's load balancer keeps addresses.
      for (const l of listeners.filter((x: Manifest) => x.port !== ejabberdGateway.port))
        assert.equal(l.use_proxy_protocol, undefined, `port ${l.port}`);
      // ejabberd's own allow-list is the operator's networks (and loopback), never a pod or VPC range.
      const acl = parse(find(objects, "ConfigMap", "ejabberd-config").data["ejabberd.yml"]).acl.admin_network.ip;
      assert.deepEqual(acl, ["127.0.0.1/32", "203.0.113.0/24"]);
    });

    it("sets the Gateway's client side: no PROXY header from this load balancer, TLS 1.2+, the idle timeout", () => {
      const clients = find(objects, "ClientTrafficPolicy", "gateway-clients").spec;
      assert.equal(clients.proxyProtocol, undefined);
      assert.equal(clients.clientIPDetection, undefined, "no header is believed for the client's address");
      assert.equal(clients.tls.minVersion, "1.2");
      assert.deepEqual(clients.timeout, { http: { idleTimeout: `${config.im.edgeIdleTimeoutSeconds}s` } });
    });

    it("puts the client ports and TURN on the kit's load balancers", () => {
      const clients = find(objects, "Service", "ejabberd-clients");
      assert.equal(clients.spec.type, "LoadBalancer");
      assert.deepEqual(clients.metadata.annotations, sampleFacts[stack].tcpAnnotations);
      assert.deepEqual(
        clients.spec.ports.map((p: Manifest) => `${p.protocol}/${p.port}`),
        [`TCP/${defaultPorts.c2s}`, `TCP/${defaultPorts.c2sTls}`],
      );
      const turn = find(objects, "Service", "eturnal");
      assert.equal(turn.spec.type, "LoadBalancer");
      // UDP for STUN/TURN and the relays, TCP 443 for clients on UDP-blocked networks; no port on both protocols.
      const turnPorts = turn.spec.ports.map((p: Manifest) => `${p.protocol}/${p.port}`);
      assert.ok(turnPorts.includes("UDP/3478") && turnPorts.includes("TCP/443"), turnPorts.join(", "));
      const numbers = turn.spec.ports.map((p: Manifest) => p.port);
      assert.equal(new Set(numbers).size, numbers.length, "a port is on both protocols");
      assert.deepEqual(turn.metadata.annotations, {
        ...sampleFacts[stack].udpAnnotations,
        ...sampleFacts[stack].turnAnnotations,
      });
    });

    it(
      "announces the kit's static TURN address from eturnal and from ejabberd, and runs eturnal in that " +
        "address's zone",
      () => {
        const facts = sampleFacts[stack];
        const pod = find(objects, "Deployment", "eturnal").spec.template.spec;
        const eturnal = parse(find(objects, "ConfigMap", "eturnal-config").data["eturnal.yml"]) as Manifest;
        assert.equal(eturnal.eturnal.relay_ipv4_addr, facts.turnRelayIpv4);
        const yml = find(objects, "ConfigMap", "ejabberd-config").data["ejabberd.yml"];
        assert.ok(
          yml.includes(`host: "${facts.turnRelayIpv4}"`),
          "mod_stun_disco does not announce the relay's address",
        );
        const zones = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
        if (facts.turnZone === undefined)
          assert.equal(pod.affinity, undefined, "a zone-redundant address must not pin eturnal");
        else
          assert.deepEqual(zones, [
            { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [facts.turnZone] }] },
          ]);
      },
    );

    it("stores uploads in the kit's bucket through the upload service, with the cloud's backend and identity", () => {
      const deployment = find(objects, "Deployment", "warbler-upload");
      const pod = deployment.spec.template.spec;
      const env = Object.fromEntries(pod.containers[0].env.map((e: Manifest) => [e.name, e.value ?? e.valueFrom]));
      const backend = { aws: "s3", azure: "azure-blob", alicloud: "oss" }[stack];
      assert.equal(env.WARBLER_UPLOAD_BACKEND, backend);
      // AWS S3: the SDK's own regional endpoint; OSS: its S3-compatible internal one; Azure: the account URL.
      const endpoint = { aws: undefined, azure: "WARBLER_UPLOAD_ACCOUNT_URL", alicloud: "WARBLER_UPLOAD_ENDPOINT" }[
        stack
      ];
      if (endpoint) assert.equal(env[endpoint], sampleFacts[stack].bucketEndpoint);
      else assert.equal(env.WARBLER_UPLOAD_ENDPOINT, undefined);
      assert.equal(
        env[stack === "azure" ? "WARBLER_UPLOAD_CONTAINER" : "WARBLER_UPLOAD_BUCKET"],
        sampleFacts[stack].bucketName,
      );
      // S3 is told the stack's key per request; Azure's account key and OSS's bucket rule encrypt the rest.
      assert.equal(env.WARBLER_UPLOAD_KMS_KEY_ID, stack === "aws" ? sampleFacts[stack].keyId : undefined);
      assert.equal(env.WARBLER_UPLOAD_MAX_FILE_SIZE, String(config.im.maxUploadMb * 1024 * 1024));
      assert.equal(env.WARBLER_UPLOAD_QUOTA_BYTES, String(config.im.uploadQuotaMb * 1024 * 1024));
      // Secrets arrive as files from Secrets, never as values in the manifest.
      assert.ok(!Object.keys(env).some((k) => /SECRET$|PASSWORD|KEY$/.test(k) && !k.endsWith("KMS_KEY_ID")));
      assert.equal(pod.serviceAccountName, "warbler-upload");
      const account = find(objects, "ServiceAccount", "warbler-upload");
      assert.deepEqual(account.metadata.annotations, sampleFacts[stack].serviceAccountAnnotations);
      assert.deepEqual(find(objects, "ServiceAccount", "ejabberd").metadata.annotations, undefined);
      // The pinned Node image runs the bundle from the ConfigMap: no image of ours.
      assert.equal(pod.containers[0].image, defaultImages.node);
      const bundle = find(objects, "ConfigMap", "warbler-upload-bundle");
      assert.deepEqual(Object.keys(bundle.binaryData), ["upload.js.gz"]);
      assert.deepEqual(pod.containers[0].command, sampleUploadBundle.command);
      const yml = find(objects, "ConfigMap", "ejabberd-config").data["ejabberd.yml"];
      assert.ok(yml.includes(`put_url: "https://upload.${config.domain}"`), "ejabberd's slots do not name the service");
      assert.ok(yml.includes("external_secret: WARBLER_UPLOAD_SECRET"));
    });

    it(
      "scrapes the exporter and alerts on node down, cluster " + "split, database, error rate and certificate expiry",
      () => {
        const monitor = find(objects, "ServiceMonitor", "ejabberd").spec;
        assert.deepEqual(
          monitor.endpoints.map((e: Manifest) => e.port),
          ["metrics"],
        );
        const http = find(objects, "Service", "ejabberd-http");
        assert.ok(http.spec.ports.some((p: Manifest) => p.name === "metrics"));
        const alerts = find(objects, "PrometheusRule", "ejabberd").spec.groups[0].rules.map((r: Manifest) => r.alert);
        assert.deepEqual(alerts, [
          "EjabberdNodeDown",
          "EjabberdClusterSplit",
          "EjabberdDatabaseUnreachable",
          "EjabberdApiErrorRate",
          "EjabberdCertificateExpiresSoon",
          "WarblerDatabaseCertificateExpiresSoon",
        ]);
      },
    );
  });
}

describe("IM chart options", () => {
  it("publishes no /api, /admin or /grafana route, and no SecurityPolicy, when the admin API is off", () => {
    const objects = synthesizeFor(exampleConfig("aws", { adminApi: false, adminCidrs: [] }));
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    for (const gone of [
      `HTTPRoute/${routeNames.admin}`,
      `HTTPRoute/${routeNames.grafana}`,
      "SecurityPolicy/admin-allow-list",
    ])
      assert.ok(!names.includes(gone), gone);
    assert.deepEqual(parse(find(objects, "ConfigMap", "ejabberd-config").data["ejabberd.yml"]).acl.admin_network.ip, [
      "127.0.0.1/32",
    ]);
  });

  it("requires a PROXY v2 header from the load balancer on the Gateway and on 5222/5223 when the kit says so", () => {
    const facts = { ...sampleFacts.aws, clientAddress: "proxy-v2" as const };
    const objects = synthesizeFor(exampleConfig("aws"), facts);
    assert.deepEqual(find(objects, "ClientTrafficPolicy", "gateway-clients").spec.proxyProtocol, { optional: false });
    const listeners = parse(find(objects, "ConfigMap", "ejabberd-config").data["ejabberd.yml"]).listen;
    for (const port of [defaultPorts.c2s, defaultPorts.c2sTls])
      assert.equal(listeners.find((l: Manifest) => l.port === port).use_proxy_protocol, true);
    assert.equal(listeners.find((l: Manifest) => l.port === defaultPorts.http).use_proxy_protocol, undefined);
  });

  it("puts the XMPP client Service on the kit's own client load balancer when it gives one, the edge unchanged", () => {
    const imClients = {
      loadBalancerClass: "alibabacloud.com/nlb",
      annotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-zone-maps": "cn-a:vsw-1,cn-b:vsw-2" },
    };
    const objects = synthesizeFor(exampleConfig("alicloud"), { ...sampleFacts.alicloud, imClients });
    const clients = find(objects, "Service", "ejabberd-clients");
    assert.equal(clients.spec.loadBalancerClass, imClients.loadBalancerClass);
    assert.deepEqual(clients.metadata.annotations, imClients.annotations);
    assert.equal(clients.spec.externalTrafficPolicy, sampleFacts.alicloud.externalTrafficPolicy);
    const plain = find(synthesizeFor(exampleConfig("alicloud")), "Service", "ejabberd-clients");
    assert.equal(plain.spec.loadBalancerClass, undefined);
    assert.deepEqual(plain.metadata.annotations, sampleFacts.alicloud.tcpAnnotations);
  });

  it("drops TURN, its load balancer and its policies when im.turn is off", () => {
    const objects = synthesizeFor(exampleConfig("aws", { turn: false }));
    assert.ok(!objects.some((o) => o.metadata.name.startsWith("eturnal") || o.metadata.name.startsWith("turn-")));
  });

  it("rejects unpinned images, a world-wide admin CIDR and upload sizes that are not whole MiB, naming each", () => {
    const facts = sampleFacts.aws;
    assert.throws(
      () =>
        resolveImChartProps({
          domain: "chat.example.com",
          ejabberdConfig: "",
          configChecksum: "",
          labels: { owner: "o", dataClassification: "internal" },
          images: { eturnal: "ghcr.io/processone/eturnal:latest", node: "node" },
          adminCidrs: ["0.0.0.0/0"],
          serviceAccountAnnotations: {},
          loadBalancer: {
            tcpAnnotations: {},
            udpAnnotations: {},
            clientAddress: "source",
            externalTrafficPolicy: "Local",
          },
          databaseCidrs: ["10.20.0.0/16"],
          uploads: {
            backend: "s3",
            bucket: facts.bucketName,
            endpoint: facts.bucketEndpoint,
            region: facts.bucketRegion,
            maxFileMiB: 0,
            quotaMiB: 1.5,
            bundle: sampleUploadBundle,
          },
          exporter: { script: "" },
          sqlTlsProxy: { script: "", upstreamHost: "127.0.0.1" },
        }),
      (err: Error) =>
        /'sqlTlsProxy\.upstreamHost' \("127\.0\.0\.1"\)/.test(err.message) &&
        /'images\.eturnal' \("ghcr\.io\/processone\/eturnal:latest"\)/.test(err.message) &&
        /'uploads\.maxFileMiB' \(0\)/.test(err.message) &&
        /'uploads\.quotaMiB' \(1\.5\)/.test(err.message) &&
        /'images\.node' \("node"\)/.test(err.message) &&
        /'adminCidrs\[0\]' \("0\.0\.0\.0\/0"\)/.test(err.message),
    );
  });

  it("tells pinned images from unpinned ones", () => {
    const table: [string, boolean][] = [
      ["ghcr.io/processone/ejabberd:23.01", true],
      ["registry:5000/ejabberd:24.12", true],
      ["registry:5000/ejabberd", false],
      ["node:latest", false],
      ["node", false],
      [`node@sha256:${"a".repeat(64)}`, true],
    ];
    for (const [image, pinned] of table) assert.equal(isPinned(image), pinned, image);
  });

  it("catches a schema error in a synthesized object (the validator is live)", () => {
    const sts = structuredClone(find(synthesizeFor(exampleConfig("aws")), "StatefulSet", "ejabberd"));
    sts.spec.replicas = "three";
    assert.throws(() => validate(sts));
  });

  it("renders a cluster script that the shell parses", () => {
    execFileSync("sh", ["-n"], { input: clusterScript(defaultPorts.c2s) });
    assert.match(clusterScript(5222), /:1466 00000000:0000 0A/);
  });
});
