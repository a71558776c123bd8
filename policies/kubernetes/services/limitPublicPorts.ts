import { defaultPublicPorts } from "../../common/publicPorts";
import { configOf, type WarblerResourcePolicy } from "../../policy";

/** Annotations that make a LoadBalancer Service internal on each cloud. */
const internal: Record<string, string> = {
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
  "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
  "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet",
};

interface ServicePort {
  port?: number;
  protocol?: string;
}

export const k8sPublicServicePorts: WarblerResourcePolicy = {
  id: "kubernetes-public-service-ports",
  name: "Internet-facing Services expose only the IM ports",
  target: "kubernetes",
  what:
    "A Service of type LoadBalancer that faces the internet (or a NodePort Service) may only expose the IM " +
    "platform's public ports (by default 80, 443, 3478, 5222, 5223, 5269, 5349) and, over UDP, the TURN relay " +
    "range (by default 49152-65535).",
  why:
    "A load balancer publishes its ports to the whole internet on every cloud. An admin API, metrics endpoint " +
    "or database proxy exposed this way bypasses the private network entirely.",
  fix:
    "Serve other ports through an internal load balancer (the cloud's internal annotation) or a ClusterIP " +
    "Service; if the IM service really offers another port publicly, add it to this policy's " +
    "'allowedPublicPorts'.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.20", "ISO27001-A.8.22", "SOC2-CC6.6", "PCI-1.3.1", "PCI-1.4.1", "GDPR-32", "MLPS-8.1.3.1"],
  resourceTypes: ["kubernetes:core/v1:Service"],
  configSchema: {
    properties: {
      allowedPublicPorts: {
        type: "array",
        items: { type: "integer" },
        default: defaultPublicPorts,
        description: "Ports an internet-facing Service may expose.",
      },
      turnRelayPorts: {
        type: "object",
        properties: { from: { type: "integer" }, to: { type: "integer" } },
        default: { from: 49152, to: 65535 },
        description: "UDP port range a TURN server relays media on.",
      },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== "kubernetes:core/v1:Service") return args.notApplicable("not a Service");
    const spec = args.props.spec ?? {};
    const annotations: Record<string, string> = args.props.metadata?.annotations ?? {};
    const isInternal = Object.entries(internal).some(([k, v]) => String(annotations[k]).toLowerCase() === v);
    const exposed = spec.type === "NodePort" || (spec.type === "LoadBalancer" && !isInternal);
    if (!exposed) return args.notApplicable("not exposed to the internet");
    const { allowedPublicPorts, turnRelayPorts } = configOf<{
      allowedPublicPorts: number[];
      turnRelayPorts: { from: number; to: number };
    }>(k8sPublicServicePorts, args);
    const bad = ((spec.ports ?? []) as ServicePort[]).filter((p) => {
      const port = Number(p.port);
      const relay =
        String(p.protocol ?? "TCP").toUpperCase() === "UDP" && port >= turnRelayPorts.from && port <= turnRelayPorts.to;
      return !allowedPublicPorts.includes(port) && !relay;
    });
    if (bad.length > 0)
      report(`exposes ${bad.map((p) => `${p.port}/${p.protocol ?? "TCP"}`).join(", ")} to the internet`);
  },
};
