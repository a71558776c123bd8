import { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";
import { resources, restrictedContainer, restrictedPod, scratch, spreadOverZones } from "./pod-security";
import { imPorts, imSecretNames, type ResolvedImChartProps } from "./props";

export const uploadGatewaySelector = {
  "app.kubernetes.io/name": "s3proxy",
  "app.kubernetes.io/component": "upload-gateway",
};
export const uploadGatewayServiceName = "upload-gateway";

/**
 * s3proxy: the S3 API clients PUT and GET XEP-0363 files through, in front
 * of the kit's bucket on every cloud. ejabberd signs upload URLs with the
 * gateway's own keys; the gateway reaches the bucket with the pod's workload
 * identity (IRSA on AWS, Azure workload identity), or, where s3proxy cannot
 * use it (RRSA on Alibaba Cloud), with the kit's key pair scoped to the bucket.
 */
export function addUploadGateway(
  scope: Construct,
  props: ResolvedImChartProps,
  meta: (name: string, extra?: Record<string, string>) => k8s.ObjectMeta,
): void {
  const gateway = props.uploads;
  new k8s.KubeService(scope, "upload-gateway", {
    metadata: meta(uploadGatewayServiceName, uploadGatewaySelector),
    spec: {
      selector: uploadGatewaySelector,
      ports: [
        { name: "http", port: imPorts.uploadGateway, targetPort: k8s.IntOrString.fromNumber(imPorts.uploadGateway) },
      ],
    },
  });
  new k8s.KubePodDisruptionBudget(scope, "upload-gateway-pdb", {
    metadata: meta(uploadGatewayServiceName),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: uploadGatewaySelector } },
  });
  const secret = (key: string): k8s.EnvVarSource => ({ secretKeyRef: { name: imSecretNames.uploadGateway, key } });
  const env: k8s.EnvVar[] = [
    { name: "S3PROXY_ENDPOINT", value: `http://0.0.0.0:${imPorts.uploadGateway}` },
    { name: "S3PROXY_AUTHORIZATION", value: "aws-v2-or-v4" },
    { name: "S3PROXY_IDENTITY", valueFrom: secret("S3PROXY_IDENTITY") },
    { name: "S3PROXY_CREDENTIAL", valueFrom: secret("S3PROXY_CREDENTIAL") },
    // Browsers upload from web clients served on the domain.
    { name: "S3PROXY_CORS_ALLOW_ORIGINS", value: `https://${props.domain}` },
    { name: "JCLOUDS_PROVIDER", value: gateway.backend },
    { name: "JCLOUDS_ENDPOINT", value: gateway.endpoint },
    { name: "JCLOUDS_REGION", value: gateway.region },
    ...(gateway.staticCredentialsChecksum
      ? [
          { name: "JCLOUDS_IDENTITY", valueFrom: secret("JCLOUDS_IDENTITY") },
          { name: "JCLOUDS_CREDENTIAL", valueFrom: secret("JCLOUDS_CREDENTIAL") },
        ]
      : [
          // Empty identity and credential: s3proxy falls back to the cloud SDK's default chain (workload identity).
          { name: "JCLOUDS_IDENTITY", value: "" },
          { name: "JCLOUDS_CREDENTIAL", value: "" },
        ]),
  ];
  new k8s.KubeDeployment(scope, "upload-gateway-deployment", {
    metadata: meta(uploadGatewayServiceName, uploadGatewaySelector),
    spec: {
      replicas: 2,
      selector: { matchLabels: uploadGatewaySelector },
      template: {
        metadata: {
          labels: { ...meta("").labels, ...uploadGatewaySelector, ...props.identityPodLabels },
          // Env from a Secret is read at start: a rotated key pair must roll the pods.
          ...(gateway.staticCredentialsChecksum
            ? { annotations: { "warbler.io/bucket-credentials-checksum": gateway.staticCredentialsChecksum } }
            : {}),
        },
        spec: {
          // The workload identity is bound to this ServiceAccount (contract: imWorkload).
          serviceAccountName: "ejabberd",
          // The identity webhooks project their own token; the Kubernetes API token is not needed.
          automountServiceAccountToken: false,
          securityContext: restrictedPod(1000),
          topologySpreadConstraints: spreadOverZones(uploadGatewaySelector),
          containers: [
            {
              name: "s3proxy",
              image: props.images.s3proxy,
              imagePullPolicy: "IfNotPresent",
              env,
              ports: [{ name: "http", containerPort: imPorts.uploadGateway }],
              securityContext: restrictedContainer,
              resources: resources("250m", "1", "1Gi"),
              readinessProbe: {
                tcpSocket: { port: k8s.IntOrString.fromNumber(imPorts.uploadGateway) },
                periodSeconds: 10,
              },
              livenessProbe: {
                tcpSocket: { port: k8s.IntOrString.fromNumber(imPorts.uploadGateway) },
                periodSeconds: 20,
                failureThreshold: 4,
              },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [scratch("tmp", "2Gi")],
        },
      },
    },
  });
}
