import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { resources, restrictedContainer, restrictedPod, scratch, spreadOverZones } from "./pod-security";
import { imPorts, imSecretNames, imServiceAccounts, type ResolvedImChartProps } from "./props";

export const uploadServiceSelector = {
  "app.kubernetes.io/name": "warbler-upload",
  "app.kubernetes.io/component": "upload",
};
export const uploadServiceName = "warbler-upload";

/** Paths inside the upload service's container. */
export const uploadServicePaths = {
  bundle: "/etc/warbler/upload-bundle",
  secret: "/etc/warbler/upload-secret",
  database: "/etc/warbler/upload-database",
  databaseCa: "/etc/warbler/database-ca",
} as const;

/**
 * Warbler's upload service (charts/im/upload/) on the pinned Node.js image:
 * it checks the slot ejabberd signed, streams the file into the stack's bucket
 * and serves it back. Its bundle arrives in a ConfigMap, as the exporter's
 * does, so there is no image of ours to build. It alone holds the bucket's
 * workload identity: its ServiceAccount is the one the kit's identity trusts.
 */
export function addUploadService(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string, extra?: Record<string, string>) => k8s.ObjectMeta,
): void {
  const uploads = props.uploads;
  new k8s.KubeConfigMap(scope, "upload-bundle", {
    metadata: meta(`${uploadServiceName}-bundle`, uploadServiceSelector),
    binaryData: uploads.bundle.binaryData,
  });
  new k8s.KubeService(scope, "upload-service", {
    metadata: meta(uploadServiceName, uploadServiceSelector),
    spec: {
      selector: uploadServiceSelector,
      ports: [
        { name: "http", port: imPorts.uploadService, targetPort: k8s.IntOrString.fromNumber(imPorts.uploadService) },
        { name: "metrics", port: imPorts.uploadMetrics, targetPort: k8s.IntOrString.fromNumber(imPorts.uploadMetrics) },
      ],
    },
  });
  new k8s.KubePodDisruptionBudget(scope, "upload-service-pdb", {
    metadata: meta(uploadServiceName),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: uploadServiceSelector } },
  });
  const port = (n: number) => k8s.IntOrString.fromNumber(n);
  new k8s.KubeDeployment(scope, "upload-service-deployment", {
    metadata: meta(uploadServiceName, uploadServiceSelector),
    spec: {
      replicas: 2,
      selector: { matchLabels: uploadServiceSelector },
      template: {
        metadata: {
          labels: { ...meta("").labels, ...uploadServiceSelector, ...props.identityPodLabels },
          annotations: { "warbler.io/bundle-sha256": uploads.bundle.sha256 },
        },
        spec: {
          serviceAccountName: imServiceAccounts.upload,
          // The identity webhooks project their own token; the Kubernetes API token is not needed.
          automountServiceAccountToken: false,
          securityContext: restrictedPod(1000),
          topologySpreadConstraints: spreadOverZones(uploadServiceSelector),
          containers: [
            {
              name: "upload",
              image: props.images.node,
              imagePullPolicy: "IfNotPresent",
              // The image's own node runs the compressed bundle straight from the ConfigMap: nothing is written.
              command: uploads.bundle.command,
              env: uploadServiceEnv(props),
              ports: [
                { name: "http", containerPort: imPorts.uploadService },
                { name: "metrics", containerPort: imPorts.uploadMetrics },
              ],
              // The node image's own user (uid 1000).
              securityContext: { ...restrictedContainer, runAsUser: 1000, runAsGroup: 1000 },
              resources: resources("250m", "1", "512Mi"),
              readinessProbe: { httpGet: { path: "/healthz", port: port(imPorts.uploadMetrics) }, periodSeconds: 10 },
              livenessProbe: {
                tcpSocket: { port: port(imPorts.uploadService) },
                periodSeconds: 20,
                failureThreshold: 4,
              },
              volumeMounts: [
                { name: "bundle", mountPath: uploadServicePaths.bundle, readOnly: true },
                { name: "upload-secret", mountPath: uploadServicePaths.secret, readOnly: true },
                { name: "upload-database", mountPath: uploadServicePaths.database, readOnly: true },
                { name: "database-ca", mountPath: uploadServicePaths.databaseCa, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "bundle", configMap: { name: `${uploadServiceName}-bundle`, defaultMode: 0o444 } },
            { name: "upload-secret", secret: { secretName: imSecretNames.uploadService, defaultMode: 0o440 } },
            { name: "upload-database", secret: { secretName: imSecretNames.uploadDatabase, defaultMode: 0o440 } },
            { name: "database-ca", secret: { secretName: imSecretNames.databaseCa, defaultMode: 0o444 } },
            scratch("tmp", "256Mi"),
          ],
        },
      },
    },
  });
}

/** The service's settings (charts/im/upload/main.ts reads them); secrets arrive as files, never as values. */
export function uploadServiceEnv(props: ResolvedImChartProps): k8s.EnvVar[] {
  const uploads = props.uploads;
  const env: Record<string, string> = {
    WARBLER_UPLOAD_PORT: String(imPorts.uploadService),
    WARBLER_UPLOAD_METRICS_PORT: String(imPorts.uploadMetrics),
    WARBLER_UPLOAD_BACKEND: uploads.backend,
    // AWS S3 goes through the SDK's own regional endpoint (and its default checksums); OSS needs its S3-compatible one.
    ...(uploads.backend === "azure-blob"
      ? { WARBLER_UPLOAD_ACCOUNT_URL: uploads.endpoint, WARBLER_UPLOAD_CONTAINER: uploads.bucket }
      : { WARBLER_UPLOAD_BUCKET: uploads.bucket }),
    ...(uploads.backend === "oss" ? { WARBLER_UPLOAD_ENDPOINT: uploads.endpoint } : {}),
    WARBLER_UPLOAD_REGION: uploads.region,
    ...(uploads.kmsKeyId ? { WARBLER_UPLOAD_KMS_KEY_ID: uploads.kmsKeyId } : {}),
    WARBLER_UPLOAD_DOMAINS: props.domain,
    WARBLER_UPLOAD_MAX_FILE_SIZE: String(uploads.maxFileMiB * 1024 * 1024),
    WARBLER_UPLOAD_QUOTA_BYTES: String(uploads.quotaMiB * 1024 * 1024),
    WARBLER_UPLOAD_SECRET_FILE: `${uploadServicePaths.secret}/secret`,
    WARBLER_UPLOAD_DATABASE_URL_FILE: `${uploadServicePaths.database}/url`,
  };
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}
