import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { resources, restrictedContainer, restrictedPod, scratch } from "./pod-security";
import { imPorts, imSecretNames, type ResolvedImChartProps } from "./props";

export const turnSelector = { "app.kubernetes.io/name": "eturnal", "app.kubernetes.io/component": "turn" };
export const turnServiceName = "eturnal";

/**
 * eturnal behind a UDP load balancer. One replica: a relay allocation lives
 * in one process, and the load balancer cannot send a peer's packets for
 * that port to the right replica of several (docs/im.md, "On Kubernetes").
 */
export function addTurn(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string, extra?: Record<string, string>) => k8s.ObjectMeta,
): void {
  if (!props.turn) return;
  const [first, last] = props.turn.relayPorts;
  const relayPorts: k8s.ServicePort[] = [];
  for (let port = first; port <= last; port++) {
    relayPorts.push({ name: `relay-${port}`, port, targetPort: k8s.IntOrString.fromNumber(port), protocol: "UDP" });
  }
  new k8s.KubeService(scope, "eturnal", {
    metadata: {
      ...meta(turnServiceName, turnSelector),
      annotations: { ...props.loadBalancer.udpAnnotations, ...props.turn.loadBalancerAnnotations },
    },
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      selector: turnSelector,
      ports: [
        { name: "turn-udp", port: imPorts.turn, targetPort: k8s.IntOrString.fromNumber(imPorts.turn), protocol: "UDP" },
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
  const env: k8s.EnvVar[] = [
    { name: "ETURNAL_SECRET", valueFrom: { secretKeyRef: { name: imSecretNames.turn, key: "ETURNAL_SECRET" } } },
    { name: "ETURNAL_RELAY_MIN_PORT", value: String(first) },
    { name: "ETURNAL_RELAY_MAX_PORT", value: String(last) },
    { name: "ETURNAL_REALM", value: props.domain },
    // No lookup through a public STUN service: the address to announce is the load balancer's.
    { name: "STUN_SERVICE", value: "false" },
    ...(props.turn.relayIpv4 ? [{ name: "ETURNAL_RELAY_IPV4_ADDR", value: props.turn.relayIpv4 }] : []),
  ];
  const status = { exec: { command: ["eturnalctl", "status"] } };
  // A load balancer confined to one zone reaches pods in that zone only.
  const affinity: k8s.Affinity | undefined = props.turn.zone
    ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [props.turn.zone] }] },
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
        metadata: { labels: { ...meta("").labels, ...turnSelector } },
        spec: {
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
                { name: "metrics", containerPort: imPorts.turnMetrics },
              ],
              securityContext: restrictedContainer,
              resources: resources("250m", "2", "512Mi"),
              readinessProbe: { ...status, periodSeconds: 15, timeoutSeconds: 10 },
              livenessProbe: { ...status, periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 4 },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [scratch("tmp", "64Mi")],
        },
      },
    },
  });
}
