import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { imSizing } from "../../lib/im-sizing";
import { clusterScript } from "./cluster-script";
import { defaultPorts } from "./ejabberd-config";
import { ejabberdPlacement, ejabberdResources, ejabberdSysctls } from "./ejabberd-placement";
import { erlangDistPort, renderEjabberdctlConfig } from "./erlang-tuning";
import {
  netBindServiceContainer,
  resources,
  restrictedContainer,
  restrictedPod,
  scratch,
  spreadOverZones,
} from "./pod-security";
import { imSecretNames, imServiceAccounts, type ResolvedImChartProps } from "./props";
import { sqlTlsProxyScript, sqlTlsProxySidecar } from "./sql-tls-proxy/sidecar";

/**
 * What ProcessOne's image (ghcr.io/processone/ejabberd, built from processone/ejabberd .github/container/Dockerfile)
 * provides: user ejabberd with uid and gid 9000 and home /opt/ejabberd (a VOLUME), tini as the entrypoint
 * (`ENTRYPOINT ["/sbin/tini","--","ejabberdctl"]`), and an ejabberdctl wrapper on PATH (/usr/local/bin) that points
 * the release at /opt/ejabberd/{conf,database,logs}. test/unit/im/ejabberd-image.test.ts cites the lines.
 */
export const ejabberdImage = {
  uid: 9000,
  tini: "/sbin/tini",
} as const;

/** Paths inside the ejabberd container; the renderer's spec points at the same files. */
export const ejabberdPaths = {
  config: "/etc/warbler/ejabberd/ejabberd.yml",
  ctlConfig: "/etc/warbler/ejabberd/ejabberdctl.cfg",
  script: "/etc/warbler/ejabberd/cluster.sh",
  secrets: "/etc/warbler/secrets/secrets.yml",
  databaseCa: "/etc/warbler/database-ca/ca.pem",
  /** cert-manager's CombinedPEM output: chain and key in one file, as ejabberd's certfiles wants. */
  certificate: "/etc/warbler/tls/tls-combined.pem",
  spool: "/opt/ejabberd/database",
  logs: "/opt/ejabberd/logs",
  /**
   * HOME, on an emptyDir: ejabberdctl and Erlang read the cookie from $HOME/.erlang.cookie, and the image's home is
   * its VOLUME, where a file left by a build or an earlier run would win over the Secret.
   */
  home: "/opt/warbler-home",
  /** The Erlang cookie Secret's key, as a file; cluster.sh copies it to $HOME/.erlang.cookie (0400). */
  cookie: "/etc/warbler/erlang-cookie/cookie",
  /** One file per administrator account, named after the user, holding its password. */
  admins: "/etc/warbler/admins",
} as const;

export const ejabberdNames = {
  statefulSet: "ejabberd",
  headless: "ejabberd-headless",
  clients: "ejabberd-clients",
  http: "ejabberd-http",
  config: "ejabberd-config",
  tlsSecret: "ejabberd-tls",
} as const;

/** The administrator account the metrics sidecar reads the API with; /api only answers administrators. */
export const exporterAccount = "warbler-metrics";

export const ejabberdSelector = { "app.kubernetes.io/name": "ejabberd", "app.kubernetes.io/component": "xmpp" };

/** ejabberd as a clustered StatefulSet: config, headless and client Services, PDB, and the exporter sidecar. */
export function addEjabberd(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string, extra?: Record<string, string>) => k8s.ObjectMeta,
): void {
  const namespace = meta("").namespace!;
  const ports = defaultPorts;
  const sizing = imSizing(props.sessionsPerInstance, props.replicas);
  new k8s.KubeConfigMap(scope, "ejabberd-config", {
    metadata: meta(ejabberdNames.config),
    data: {
      "ejabberd.yml": props.ejabberdConfig,
      "ejabberdctl.cfg": renderEjabberdctlConfig({
        distPort: erlangDistPort,
        pidPath: `${ejabberdPaths.spool}/ejabberd.pid`,
        limits: sizing.erlang,
      }),
      "cluster.sh": clusterScript(ports.c2s),
      "exporter.js": props.exporter.script,
      [sqlTlsProxyScript]: props.sqlTlsProxy.script,
    },
  });

  new k8s.KubeService(scope, "ejabberd-headless", {
    metadata: meta(ejabberdNames.headless, ejabberdSelector),
    spec: {
      clusterIp: "None",
      // Peers must resolve each other before they are ready: joining is part of becoming ready.
      publishNotReadyAddresses: true,
      selector: ejabberdSelector,
      ports: [{ name: "erlang-dist", port: erlangDistPort, targetPort: k8s.IntOrString.fromNumber(erlangDistPort) }],
    },
  });

  const clients = props.loadBalancer.clients;
  new k8s.KubeService(scope, "ejabberd-clients", {
    metadata: {
      ...meta(ejabberdNames.clients, ejabberdSelector),
      annotations: clients?.annotations ?? props.loadBalancer.tcpAnnotations,
    },
    spec: {
      type: "LoadBalancer",
      ...(clients ? { loadBalancerClass: clients.loadBalancerClass } : {}),
      // What this cloud's load balancer needs to keep the client's address (per-IP shapers, audit logs).
      externalTrafficPolicy: props.loadBalancer.externalTrafficPolicy,
      selector: ejabberdSelector,
      ports: [
        { name: "xmpp-starttls", port: ports.c2s, targetPort: k8s.IntOrString.fromNumber(ports.c2s), protocol: "TCP" },
        { name: "xmpp-tls", port: ports.c2sTls, targetPort: k8s.IntOrString.fromNumber(ports.c2sTls), protocol: "TCP" },
      ],
    },
  });

  new k8s.KubeService(scope, "ejabberd-http", {
    metadata: meta(ejabberdNames.http, ejabberdSelector),
    spec: {
      type: "ClusterIP",
      selector: ejabberdSelector,
      // WebSocket sessions stay on one node for their lifetime anyway; affinity keeps reconnects there too.
      sessionAffinity: "ClientIP",
      ports: [
        { name: "http", port: ports.http, targetPort: k8s.IntOrString.fromNumber(ports.http) },
        { name: "metrics", port: props.exporter.port, targetPort: k8s.IntOrString.fromNumber(props.exporter.port) },
      ],
    },
  });

  new k8s.KubePodDisruptionBudget(scope, "ejabberd-pdb", {
    metadata: meta("ejabberd"),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: ejabberdSelector } },
  });

  const script = ["/bin/sh", ejabberdPaths.script];
  // No ERLANG_COOKIE variable: the cookie reaches the node only as the Secret's file (see cluster-script.ts).
  const env: k8s.EnvVar[] = [
    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "HEADLESS_DOMAIN", value: `${ejabberdNames.headless}.${namespace}.svc.cluster.local` },
    { name: "ERLANG_NODE_ARG", value: `ejabberd@$(POD_NAME).$(HEADLESS_DOMAIN)` },
    { name: "PEER_NODE_PREFIX", value: `ejabberd@${ejabberdNames.statefulSet}-` },
    { name: "PEER_NODE_SUFFIX", value: ".$(HEADLESS_DOMAIN)" },
    { name: "HOME", value: ejabberdPaths.home },
    { name: "ERLANG_COOKIE_FILE", value: ejabberdPaths.cookie },
    { name: "REPLICAS", value: String(props.replicas) },
    { name: "EJABBERD_CONFIG", value: ejabberdPaths.config },
    { name: "EJABBERDCTL_CONFIG", value: ejabberdPaths.ctlConfig },
    { name: "EJABBERD_SPOOL", value: ejabberdPaths.spool },
    { name: "EJABBERD_LOGS", value: ejabberdPaths.logs },
    { name: "CERT_FILE", value: ejabberdPaths.certificate },
    { name: "XMPP_DOMAIN", value: props.domain },
    { name: "ADMINS_DIR", value: ejabberdPaths.admins },
    // cluster.sh refuses to start below this open-file limit rather than fail sessions one by one later.
    { name: "NEEDED_OPEN_FILES", value: String(sizing.erlang.maxOpenFiles) },
  ];
  const exec = (mode: string) => ({ exec: { command: [...script, mode] } });

  new k8s.KubeStatefulSet(scope, "ejabberd", {
    metadata: meta(ejabberdNames.statefulSet, ejabberdSelector),
    spec: {
      serviceName: ejabberdNames.headless,
      replicas: props.replicas,
      // One at a time, in order: a node joins only peers that are already up.
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate" },
      selector: { matchLabels: ejabberdSelector },
      template: {
        metadata: {
          // No workload-identity labels: ejabberd holds no cloud identity; only the upload service does.
          labels: { ...meta("").labels, ...ejabberdSelector },
          annotations: { "warbler.io/config-checksum": props.configChecksum },
        },
        spec: {
          // Its own ServiceAccount, with no cloud identity: only the upload service's holds the bucket identity.
          serviceAccountName: imServiceAccounts.ejabberd,
          automountServiceAccountToken: false,
          securityContext: { ...restrictedPod(ejabberdImage.uid), sysctls: ejabberdSysctls },
          ...ejabberdPlacement(ejabberdSelector),
          // Long enough for leave_cluster and for clients to be told to reconnect elsewhere.
          terminationGracePeriodSeconds: 60,
          topologySpreadConstraints: spreadOverZones(ejabberdSelector),
          // ejabberd's database connection: ejabberd.yml points at this proxy on 127.0.0.1, which does the TLS and
          // checks the database's host name (ejabberd cannot: processone/ejabberd#4180). A native sidecar, so it is
          // up before ejabberd starts and stops after it.
          initContainers: [
            sqlTlsProxySidecar({
              image: props.images.node,
              upstream: { host: props.sqlTlsProxy.upstreamHost, port: props.databasePort },
              caFile: ejabberdPaths.databaseCa,
              caVolume: "database-ca",
              configVolume: "config",
              configDir: "/etc/warbler/ejabberd",
            }),
          ],
          containers: [
            {
              name: "ejabberd",
              image: props.images.ejabberd,
              imagePullPolicy: "IfNotPresent",
              // tini stays PID 1 (the image's entrypoint): it forwards SIGTERM and reaps ejabberdctl's children.
              command: [ejabberdImage.tini, "--", ...script, "start"],
              env,
              ports: [
                { name: "xmpp-starttls", containerPort: ports.c2s },
                { name: "xmpp-tls", containerPort: ports.c2sTls },
                { name: "http", containerPort: ports.http },
                { name: "erlang-dist", containerPort: erlangDistPort },
              ],
              // beam.smp carries cap_net_bind_service=+ep: without the capability in the bounding set, exec fails.
              securityContext: netBindServiceContainer,
              resources: ejabberdResources(sizing),
              startupProbe: { ...exec("ready"), periodSeconds: 5, timeoutSeconds: 10, failureThreshold: 60 },
              readinessProbe: { ...exec("ready"), periodSeconds: 10, timeoutSeconds: 10, failureThreshold: 3 },
              // A TCP connect to the HTTP listener: no Erlang VM per probe (ejabberdctl status would boot one), and
              // a database outage does not fail it, so it cannot restart every pod at once. The kubelet connects from
              // the node, which NetworkPolicies always allow (kubernetes.io/docs/concepts/services-networking/
              // network-policies: "traffic to and from the node where a Pod is running is always allowed").
              livenessProbe: {
                tcpSocket: { port: k8s.IntOrString.fromNumber(ports.http) },
                periodSeconds: 30,
                timeoutSeconds: 5,
                failureThreshold: 4,
              },
              lifecycle: { preStop: exec("leave") },
              volumeMounts: [
                { name: "config", mountPath: "/etc/warbler/ejabberd", readOnly: true },
                { name: "secrets", mountPath: "/etc/warbler/secrets", readOnly: true },
                // No database CA: ejabberd speaks plain PostgreSQL to the proxy on loopback; the proxy holds the CA.
                { name: "tls", mountPath: "/etc/warbler/tls", readOnly: true },
                { name: "admins", mountPath: ejabberdPaths.admins, readOnly: true },
                { name: "erlang-cookie", mountPath: "/etc/warbler/erlang-cookie", readOnly: true },
                { name: "spool", mountPath: ejabberdPaths.spool },
                { name: "logs", mountPath: ejabberdPaths.logs },
                { name: "home", mountPath: ejabberdPaths.home },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
            {
              name: "exporter",
              image: props.images.node,
              imagePullPolicy: "IfNotPresent",
              command: ["node", "/etc/warbler/ejabberd/exporter.js"],
              env: [
                { name: "WARBLER_EXPORTER_API_URL", value: `http://127.0.0.1:${ports.http}/api` },
                { name: "WARBLER_EXPORTER_PORT", value: String(props.exporter.port) },
                { name: "WARBLER_EXPORTER_USER", value: `${exporterAccount}@${props.domain}` },
                { name: "WARBLER_EXPORTER_PASSWORD_FILE", value: `${ejabberdPaths.admins}/${exporterAccount}` },
                { name: "WARBLER_EXPORTER_DATABASE_URL_FILE", value: "/etc/warbler/exporter-database/url" },
                // Logins are counted from the node's own log (charts/im/exporter/log-tail.ts), read-only.
                { name: "WARBLER_EXPORTER_LOG_FILE", value: `${ejabberdPaths.logs}/ejabberd.log` },
              ],
              ports: [{ name: "metrics", containerPort: props.exporter.port }],
              // The node image's own user; the pod's fsGroup (9000) lets it read the mounted password.
              securityContext: { ...restrictedContainer, runAsUser: 1000, runAsGroup: 9000 },
              resources: resources("50m", "200m", "128Mi"),
              readinessProbe: {
                httpGet: { path: "/metrics", port: k8s.IntOrString.fromNumber(props.exporter.port) },
                periodSeconds: 15,
                timeoutSeconds: 5,
              },
              livenessProbe: {
                tcpSocket: { port: k8s.IntOrString.fromNumber(props.exporter.port) },
                periodSeconds: 30,
                failureThreshold: 4,
              },
              volumeMounts: [
                { name: "config", mountPath: "/etc/warbler/ejabberd", readOnly: true },
                { name: "admins", mountPath: ejabberdPaths.admins, readOnly: true },
                { name: "database-ca", mountPath: "/etc/warbler/database-ca", readOnly: true },
                { name: "exporter-database", mountPath: "/etc/warbler/exporter-database", readOnly: true },
                { name: "logs", mountPath: ejabberdPaths.logs, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: ejabberdNames.config, defaultMode: 0o444 } },
            { name: "secrets", secret: { secretName: imSecretNames.ejabberdSecrets, defaultMode: 0o440 } },
            { name: "database-ca", secret: { secretName: imSecretNames.databaseCa, defaultMode: 0o444 } },
            { name: "tls", secret: { secretName: ejabberdNames.tlsSecret, defaultMode: 0o440 } },
            { name: "admins", secret: { secretName: imSecretNames.admins, defaultMode: 0o440 } },
            { name: "erlang-cookie", secret: { secretName: imSecretNames.erlangCookie, defaultMode: 0o440 } },
            { name: "exporter-database", secret: { secretName: imSecretNames.exporterDatabase, defaultMode: 0o440 } },
            scratch("spool", "1Gi"),
            scratch("logs", "2Gi"),
            scratch("tmp", "256Mi"),
            scratch("home", "16Mi"),
          ],
        },
      },
    },
  });
}
