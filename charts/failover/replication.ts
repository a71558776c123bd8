import { k8s } from "cdk8s-plus-34";
import {
  dnsEgress,
  type FailoverObjectProps,
  type Manifest,
  named,
  port,
  restrictedContainer,
  scope,
  unnamed,
} from "./manifest";

/** Namespace of the replication setup Job: Pod Security "restricted", its own egress policy. */
export const failoverNamespace = "warbler-failover";

/** The labels that select the replication setup Job's pods. */
const setupSelector = { "app.kubernetes.io/name": "warbler-replication-setup" };

/** The PostgreSQL port of every managed database; the egress policy opens only it. */
const postgresPort = 5432;

export function replicationNamespace(labels: Record<string, string>): Manifest {
  return named(
    new k8s.KubeNamespace(scope(), "namespace", {
      metadata: {
        name: failoverNamespace,
        labels: {
          ...labels,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
        },
      },
    }),
  );
}

/** The psql scripts the Job runs, by file name (primary.sql, standby.sql). */
export function replicationScripts(
  props: FailoverObjectProps & { readonly scripts: Record<string, string> },
): Manifest {
  return unnamed(
    new k8s.KubeConfigMap(scope(), "replication-sql", {
      metadata: { namespace: props.namespace, labels: props.labels },
      data: props.scripts,
    }),
  );
}

/** The Secret the Job reads its passwords from; the deployer adds the values, so no secret passes through a chart. */
export function replicationCredentials(props: FailoverObjectProps): Manifest {
  return unnamed(
    new k8s.KubeSecret(scope(), "replication-credentials", {
      metadata: { namespace: props.namespace, labels: props.labels },
    }),
  );
}

/** The Job may reach PostgreSQL in the peer's network (over the link) and its own, and DNS; nothing reaches it. */
export function replicationEgress(props: FailoverObjectProps & { readonly databaseCidrs: string[] }): Manifest {
  return unnamed(
    new k8s.KubeNetworkPolicy(scope(), "replication-egress", {
      metadata: { namespace: props.namespace, labels: props.labels },
      spec: {
        podSelector: { matchLabels: setupSelector },
        policyTypes: ["Ingress", "Egress"],
        egress: [
          { to: props.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [port("TCP", postgresPort)] },
          dnsEgress,
        ],
      },
    }),
  );
}

export interface ReplicationSetupProps extends FailoverObjectProps {
  /** Image with psql. */
  readonly image: string;
  /** libpq conninfo of the primary, without user and password. */
  readonly primaryConn: string;
  /** libpq conninfo of the standby, with its admin user and without password. */
  readonly standbyConn: string;
  /** Hash of the scripts: a changed script replaces the Job, and so reruns it. */
  readonly scriptHash: string;
  /** Name of the ConfigMap holding primary.sql and standby.sql. */
  readonly scripts: string;
  /** Name of the Secret with REPLICATION_PASSWORD, PRIMARY_USER, PRIMARY_PASSWORD and STANDBY_PASSWORD. */
  readonly credentials: string;
}

/**
 * The Job that sets up logical replication: the primary's script, then the
 * standby's, each idempotent. The password reaches psql as a variable, never
 * in a script (failover/sql-step.ts).
 */
export function replicationSetupJob(props: ReplicationSetupProps): Manifest {
  const labels = { ...props.labels, ...setupSelector };
  return unnamed(
    new k8s.KubeJob(scope(), "replication-setup", {
      metadata: { namespace: props.namespace, labels, annotations: { "warbler.io/script-sha256": props.scriptHash } },
      spec: {
        backoffLimit: 10,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            // 70 is the postgres user of the Alpine postgres images.
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 70,
              runAsGroup: 70,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: "psql",
                image: props.image,
                command: ["/bin/sh", "-ec"],
                args: [
                  'PGPASSWORD="$PRIMARY_PASSWORD" psql -X -v replication_password="$REPLICATION_PASSWORD" ' +
                    '"$PRIMARY_CONN user=$PRIMARY_USER" -f /sql/primary.sql\n' +
                    'PGPASSWORD="$STANDBY_PASSWORD" psql -X -v replication_password="$REPLICATION_PASSWORD" ' +
                    '"$STANDBY_CONN" -f /sql/standby.sql\n',
                ],
                env: [
                  { name: "PRIMARY_CONN", value: props.primaryConn },
                  { name: "STANDBY_CONN", value: props.standbyConn },
                ],
                envFrom: [{ secretRef: { name: props.credentials } }],
                volumeMounts: [{ name: "sql", mountPath: "/sql", readOnly: true }],
                securityContext: restrictedContainer,
                resources: {
                  requests: { cpu: k8s.Quantity.fromString("50m"), memory: k8s.Quantity.fromString("64Mi") },
                  limits: { memory: k8s.Quantity.fromString("128Mi") },
                },
              },
            ],
            volumes: [{ name: "sql", configMap: { name: props.scripts } }],
          },
        },
      },
    }),
  );
}
