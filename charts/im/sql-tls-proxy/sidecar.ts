import { k8s } from "cdk8s-plus-34";
import { resources, restrictedContainer } from "../pod-security";
import { imPorts } from "../props";

/** The ConfigMap key (and file, under the ejabberd config mount) the bundled proxy ships as. */
export const sqlTlsProxyScript = "sql-tls-proxy.js";

export interface SqlTlsProxySidecarArgs {
  /** The pinned Node.js image (`images.node`). */
  image: string;
  /** The database's host name and port, as its certificate names it. */
  upstream: { host: string; port: number };
  /** The database CA bundle file inside the container, from `caVolume`. */
  caFile: string;
  /** Volume holding the CA bundle, mounted at `caFile`'s directory. */
  caVolume: string;
  /** Volume holding the ejabberd ConfigMap (which ships the script), mounted at `configDir`. */
  configVolume: string;
  configDir: string;
}

/**
 * The sql-tls-proxy as a native sidecar: an init container with `restartPolicy: Always` starts, and must pass its
 * startup probe, before ejabberd starts, keeps running beside it, and stops after it. Kubernetes docs, "Sidecar
 * Containers" (kubernetes.io/docs/concepts/workloads/pods/sidecar-containers): the SidecarContainers feature is
 * "active by default since Kubernetes v1.29" (beta in 1.29, stable in 1.33); the kits pin 1.35 and 1.36
 * (config/clouds.ts `kubernetesVersions`; test/unit/im/sql-tls-proxy.test.ts keeps them at 1.29 or later).
 */
export function sqlTlsProxySidecar(args: SqlTlsProxySidecarArgs): k8s.Container {
  const port = imPorts.sqlTlsProxy;
  const health = imPorts.sqlTlsProxyHealth;
  const probe = { httpGet: { path: "/healthz", port: k8s.IntOrString.fromNumber(health) }, timeoutSeconds: 2 };
  const caDir = args.caFile.slice(0, args.caFile.lastIndexOf("/"));
  return {
    name: "sql-tls-proxy",
    image: args.image,
    imagePullPolicy: "IfNotPresent",
    restartPolicy: "Always",
    command: ["node", `${args.configDir}/${sqlTlsProxyScript}`],
    env: [
      { name: "WARBLER_SQL_PROXY_PORT", value: String(port) },
      { name: "WARBLER_SQL_PROXY_UPSTREAM_HOST", value: args.upstream.host },
      { name: "WARBLER_SQL_PROXY_UPSTREAM_PORT", value: String(args.upstream.port) },
      { name: "WARBLER_SQL_PROXY_CA_FILE", value: args.caFile },
      { name: "WARBLER_SQL_PROXY_HEALTH_PORT", value: String(health) },
    ],
    // The proxy listens on 127.0.0.1 only, for ejabberd in the same pod, so it declares no port; the health port is.
    ports: [{ name: "sql-proxy-hc", containerPort: health }],
    // The node image's own user, as the exporter.
    securityContext: { ...restrictedContainer, runAsUser: 1000, runAsGroup: 9000 },
    resources: resources("20m", "200m", "96Mi"),
    // The kubelet probes the pod's address, never loopback, where the proxy listens: the probes ask the health port.
    startupProbe: { ...probe, periodSeconds: 1, failureThreshold: 30 },
    readinessProbe: { ...probe, periodSeconds: 10 },
    livenessProbe: { ...probe, periodSeconds: 30, failureThreshold: 4 },
    volumeMounts: [
      { name: args.configVolume, mountPath: args.configDir, readOnly: true },
      { name: args.caVolume, mountPath: caDir, readOnly: true },
    ],
  };
}
