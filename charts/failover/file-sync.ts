import { k8s } from "cdk8s-plus-34";
import {
  dnsEgress,
  type FailoverObjectProps,
  type Manifest,
  port,
  restrictedContainer,
  scope,
  unnamed,
} from "./manifest";

/** The labels that select the file copy's pods. */
const fileSyncSelector = { "app.kubernetes.io/name": "warbler-file-sync" };

/** The copy may reach object storage APIs (HTTPS) and DNS; nothing reaches it. */
export function fileSyncEgress(props: FailoverObjectProps): Manifest {
  return unnamed(
    new k8s.KubeNetworkPolicy(scope(), "file-sync-egress", {
      metadata: { namespace: props.namespace, labels: props.labels },
      spec: {
        podSelector: { matchLabels: fileSyncSelector },
        policyTypes: ["Ingress", "Egress"],
        egress: [{ ports: [port("TCP", 443)] }, dnsEgress],
      },
    }),
  );
}

export interface FileSyncProps extends FailoverObjectProps {
  /** Cron schedule, in UTC. */
  readonly schedule: string;
  /** Image with rclone. */
  readonly image: string;
  /** ServiceAccount the copy runs as; its workload identity writes the standby's bucket. */
  readonly serviceAccount: string;
  /** Labels the workload identity needs on pods. */
  readonly identityPodLabels: Record<string, string>;
  /** rclone's arguments. */
  readonly args: string[];
  /** rclone's remotes as RCLONE_CONFIG_* variables, with plain values. */
  readonly remotes: Record<string, string>;
  /** RCLONE_CONFIG_* variables read from `keysSecret`, the key of each being the variable's name. */
  readonly secretKeys: string[];
  /** Secret holding the keys scoped to the buckets that are not on workload identity. */
  readonly keysSecret: string;
}

/** The scheduled copy of uploaded files from the primary's bucket to the standby's. */
export function fileSyncCronJob(props: FileSyncProps): Manifest {
  const labels = { ...props.labels, ...fileSyncSelector };
  // rclone writes its config and cache under $HOME; the root filesystem is read-only, /tmp is a volume.
  const plain = { ...props.remotes, HOME: "/tmp", RCLONE_CACHE_DIR: "/tmp/cache" };
  return unnamed(
    new k8s.KubeCronJob(scope(), "file-sync", {
      metadata: { namespace: props.namespace, labels },
      spec: {
        schedule: props.schedule,
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels: { ...labels, ...props.identityPodLabels } },
              spec: {
                restartPolicy: "OnFailure",
                serviceAccountName: props.serviceAccount,
                // 65534 is nobody: rclone needs no identity of its own in the image.
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 65534,
                  runAsGroup: 65534,
                  seccompProfile: { type: "RuntimeDefault" },
                },
                containers: [
                  {
                    name: "rclone",
                    image: props.image,
                    args: props.args,
                    env: [
                      ...Object.entries(plain).map(([name, value]) => ({ name, value })),
                      ...props.secretKeys.map((key) => ({
                        name: key,
                        valueFrom: { secretKeyRef: { name: props.keysSecret, key } },
                      })),
                    ],
                    securityContext: restrictedContainer,
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                    resources: {
                      requests: { cpu: k8s.Quantity.fromString("100m"), memory: k8s.Quantity.fromString("128Mi") },
                      limits: { memory: k8s.Quantity.fromString("512Mi") },
                    },
                  },
                ],
                volumes: [{ name: "tmp", emptyDir: { sizeLimit: k8s.Quantity.fromString("1Gi") } }],
              },
            },
          },
        },
      },
    }),
  );
}
