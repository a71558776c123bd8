import { createHash } from "node:crypto";
import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { Certificate } from "./crds";
import { eturnalPaths, renderEturnalConfig } from "./eturnal-config";
import { netBindServiceContainer, resources, restrictedPod, scratch } from "./pod-security";
import { imPorts, imSecretNames, imServiceAccounts, type ResolvedImChartProps } from "./props";

export const turnSelector = { "app.kubernetes.io/name": "eturnal", "app.kubernetes.io/component": "turn" };
export const turnServiceName = "eturnal";
/** The cert-manager Certificate and Secret for the TURN host name (TURN over TLS). */
export const turnTlsSecret = "eturnal-tls";

/** eturnal.yml for these props: the relay address, range and TLS files the chart mounts. */
export function eturnalConfigFor(props: ResolvedImChartProps): string {
  const turn = props.turn!;
  return renderEturnalConfig({
    ...(turn.relayIpv4 ? { relayIpv4: turn.relayIpv4 } : {}),
    relayPorts: turn.relayPorts,
    realm: props.domain,
    udpPort: imPorts.turn,
    streamPort: imPorts.turnStreamTarget,
    ...(turn.tlsHost
      ? { tls: { certFile: `${eturnalPaths.tlsDir}/tls.crt`, keyFile: `${eturnalPaths.tlsDir}/tls.key` } }
      : {}),
    metricsPort: imPorts.turnMetrics,
  });
}

/**
 * eturnal behind one load balancer on the TURN address: STUN/TURN on 3478/UDP, the relay range on UDP, and TURN over
 * TCP (and TLS, with a TURN host name) on 443/TCP for clients whose network blocks UDP. One replica: a relay
 * allocation lives in one process, and the load balancer cannot send a peer's packets for that port to the right
 * replica of several (docs/im.md, "Calls").
 */
export function addTurn(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string, extra?: Record<string, string>) => k8s.ObjectMeta,
): void {
  if (!props.turn) return;
  const turn = props.turn;
  const [first, last] = turn.relayPorts;
  const relayPorts: k8s.ServicePort[] = [];
  for (let port = first; port <= last; port++) {
    relayPorts.push({ name: `relay-${port}`, port, targetPort: k8s.IntOrString.fromNumber(port), protocol: "UDP" });
  }
  // One Service with UDP and TCP ports (MixedProtocolLBService, GA in Kubernetes 1.26), so TCP/TLS clients reach the
  // same static address the kit binds with its annotations: a second Service would get a second address on AWS
  // (one NLB per Service, and an Elastic IP attaches to one NLB) and on Alibaba (the CLB is taken over by ID).
  // The TCP port differs from every UDP port: an NLB needs a TCP_UDP listener for one port on both protocols.
  new k8s.KubeService(scope, "eturnal", {
    metadata: {
      ...meta(turnServiceName, turnSelector),
      annotations: { ...props.loadBalancer.udpAnnotations, ...turn.loadBalancerAnnotations },
    },
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: props.loadBalancer.externalTrafficPolicy,
      selector: turnSelector,
      ports: [
        { name: "turn-udp", port: imPorts.turn, targetPort: k8s.IntOrString.fromNumber(imPorts.turn), protocol: "UDP" },
        {
          name: "turn-stream",
          port: imPorts.turnStream,
          targetPort: k8s.IntOrString.fromNumber(imPorts.turnStreamTarget),
          protocol: "TCP",
        },
        ...relayPorts,
      ],
    },
  });
  new k8s.KubeService(scope, "eturnal-metrics", {
    metadata: meta("eturnal-metrics", turnSelector),
    spec: {
      selector: turnSelector,
      ports: [
        { name: "metrics", port: imPorts.turnMetrics, targetPort: k8s.IntOrString.fromNumber(imPorts.turnMetrics) },
      ],
    },
  });
  new k8s.KubePodDisruptionBudget(scope, "eturnal-pdb", {
    metadata: meta("eturnal"),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: turnSelector } },
  });
  const configText = eturnalConfigFor(props);
  new k8s.KubeConfigMap(scope, "eturnal-config", {
    metadata: meta("eturnal-config"),
    data: { "eturnal.yml": configText },
  });
  if (turn.tlsHost) {
    new Certificate(scope, "eturnal-certificate", {
      metadata: meta(turnTlsSecret),
      spec: {
        secretName: turnTlsSecret,
        dnsNames: [turn.tlsHost],
        issuerRef: { name: props.clusterIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        renewBefore: "720h",
      },
    });
  }
  const env: k8s.EnvVar[] = [
    // eturnal reads the secret from ETURNAL_SECRET when eturnal.yml has none (src/eturnal_yaml.erl, get_default).
    { name: "ETURNAL_SECRET", valueFrom: { secretKeyRef: { name: imSecretNames.turn, key: "ETURNAL_SECRET" } } },
    // The image's wrapper looks the address up through a public STUN service unless this is "false"; the address to
    // announce is the load balancer's, written into eturnal.yml (docker-k8s/image/Dockerfile, eturnalctl wrapper).
    { name: "STUN_SERVICE", value: "false" },
  ];
  // `eturnalctl status` starts a second Erlang VM to ask the first, and since 1.12.1 blocks up to 15 s (CHANGELOG);
  // an open TCP socket on the TURN listener is the cheap signal that the node is up and serving.
  const stream = { tcpSocket: { port: k8s.IntOrString.fromNumber(imPorts.turnStreamTarget) } };
  // A load balancer confined to one zone reaches pods in that zone only.
  const affinity: k8s.Affinity | undefined = turn.zone
    ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [turn.zone] }] },
            ],
          },
        },
      }
    : undefined;
  new k8s.KubeDeployment(scope, "eturnal-deployment", {
    metadata: meta(turnServiceName, turnSelector),
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: turnSelector },
      template: {
        metadata: {
          labels: { ...meta("").labels, ...turnSelector },
          // eturnal reads its file at start: a changed config rolls the pod.
          annotations: { "warbler.io/eturnal-config": createHash("sha256").update(configText).digest("hex") },
        },
        spec: {
          // Its own ServiceAccount, with no token: eturnal calls no API.
          serviceAccountName: imServiceAccounts.turn,
          automountServiceAccountToken: false,
          securityContext: restrictedPod(9000),
          ...(affinity ? { affinity } : {}),
          containers: [
            {
              name: "eturnal",
              image: props.images.eturnal,
              imagePullPolicy: "IfNotPresent",
              env,
              ports: [
                { name: "turn-udp", containerPort: imPorts.turn, protocol: "UDP" },
                { name: "turn-stream", containerPort: imPorts.turnStreamTarget, protocol: "TCP" },
                { name: "metrics", containerPort: imPorts.turnMetrics },
              ],
              // The image sets cap_net_bind_service=+ep on beam.smp: without the capability in the bounding set the
              // kernel refuses to exec it (charts/im/pod-security.ts).
              securityContext: netBindServiceContainer,
              resources: resources("250m", "2", "512Mi"),
              startupProbe: { ...stream, periodSeconds: 2, failureThreshold: 30 },
              readinessProbe: { ...stream, periodSeconds: 10 },
              livenessProbe: { ...stream, periodSeconds: 20, failureThreshold: 3 },
              volumeMounts: [
                { name: "config", mountPath: eturnalPaths.config, subPath: "eturnal.yml", readOnly: true },
                { name: "run", mountPath: eturnalPaths.runDir },
                { name: "log", mountPath: eturnalPaths.logDir },
                { name: "tmp", mountPath: "/tmp" },
                ...(turn.tlsHost ? [{ name: "tls", mountPath: eturnalPaths.tlsDir, readOnly: true }] : []),
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: "eturnal-config", defaultMode: 0o444 } },
            scratch("run", "16Mi"),
            scratch("log", "64Mi"),
            scratch("tmp", "64Mi"),
            ...(turn.tlsHost ? [{ name: "tls", secret: { secretName: turnTlsSecret, defaultMode: 0o440 } }] : []),
          ],
        },
      },
    },
  });
}
