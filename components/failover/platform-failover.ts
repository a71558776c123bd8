import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { CronJob, Job } from "@pulumi/kubernetes/batch/v1";
import { ConfigMap, Namespace, Secret } from "@pulumi/kubernetes/core/v1";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import { RandomPassword } from "@pulumi/random/randomPassword";
import type { PlatformConfig } from "../../config/schema";
import { imWorkload, type PlatformOutputs } from "../contract";
import { standardTags } from "../tags";
import { AlicloudVpn } from "../alicloud/vpn";
import { AwsVpn } from "../aws/vpn";
import { AzureVpn } from "../azure/vpn";
import { rcloneArgs, rcloneRemoteEnv, secretEnvNames, targetAuth, type SyncBucket } from "./file-sync-plan";
import { setupSteps, type ReplicationDialect } from "../../failover/replication-sql";
import { renderPsqlScript } from "../../failover/sql-step";
import { linkProblems, presharedKeySpec } from "./vpn-plan";
import type { VpnLinkOutputs } from "./vpn-link";

export interface PlatformFailoverArgs {
  /** The validated stack config; `failover.role` is primary or standby. @default - none, required */
  config: PlatformConfig;
  /** The Pulumi stack name. @default - none, required */
  stack: string;
  /** The kit's outputs. @default - none, required */
  platform: PlatformOutputs;
  /** Resources the IM namespace and ServiceAccount come from (the Kubernetes layer). @default [] */
  imLayer?: pulumi.Resource[];
}

/** Secret (in the IM namespace) with keys scoped to read the primary's bucket; the operator creates it. */
export const fileSyncSourceSecret = "warbler-file-sync-source";

/** Namespace of the replication Job: Pod Security "restricted", its own egress policy. */
export const failoverNamespace = "warbler-failover";

const restricted = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * One platform stack's part in cross-cloud failover: its end of the IPsec
 * link on both roles; on the standby also the Job that sets up logical
 * replication from the primary (the Pulumi engine has no route to private
 * databases; the standby cluster has one, over the link) and the CronJob
 * that copies uploaded files from the primary's bucket.
 */
export class PlatformFailover extends pulumi.ComponentResource {
  /** Outputs the peer stack and the global stack read through StackReference. */
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(name: string, args: PlatformFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:failover:PlatformFailover", name, {}, opts);
    const { config, platform } = args;
    const peer = config.failover.peer;
    if (config.failover.role === "none" || !peer) throw new Error(`PlatformFailover '${name}' needs 'failover.role' primary or standby and 'failover.peer'`);
    const problems = linkProblems({ localCidr: config.network.cidr, peerCidr: peer.cidr });
    if (peer.cloud === config.cloud) problems.push(`'failover.peer.cloud' (${peer.cloud}) must differ from 'cloud'`);
    if (problems.length > 0) throw new Error(`PlatformFailover '${name}' has invalid args:\n  - ${problems.join("\n  - ")}`);
    const parent = { parent: this };
    const tags: Record<string, string> = { ...standardTags(config, args.stack) };
    const peerStack = new pulumi.StackReference(`${name}-peer`, { name: peer.stack }, parent);

    // The primary generates the link's key; the standby reads it from the primary's outputs.
    const presharedKey =
      config.failover.role === "primary"
        ? new RandomPassword(`${name}-psk`, { ...presharedKeySpec }, parent).result
        : pulumi.secret(peerStack.requireOutput("vpnPresharedKey").apply(String));
    const linkArgs = { network: platform.network, peerCidr: peer.cidr, peerGatewayIp: peer.gatewayIp, presharedKey, tags };
    let link: VpnLinkOutputs;
    switch (config.cloud) {
      case "aws":
        link = new AwsVpn(`${name}-vpn`, linkArgs, parent);
        break;
      case "azure":
        link = new AzureVpn(`${name}-vpn`, { ...linkArgs, location: config.region }, parent);
        break;
      case "alicloud":
        link = new AlicloudVpn(`${name}-vpn`, linkArgs, parent);
        break;
    }
    this.outputs = {
      failoverRole: config.failover.role,
      vpnGatewayIp: link.gatewayIp,
      ...(config.failover.role === "primary" ? { vpnPresharedKey: pulumi.secret(presharedKey) } : {}),
      databasePort: platform.database.port,
      databaseName: platform.database.database,
      databaseUser: platform.database.username,
      databasePassword: pulumi.secret(platform.database.password),
      bucketRegion: platform.bucket.region,
      ...(platform.bucket.account ? { bucketAccount: platform.bucket.account } : {}),
    };
    if (config.failover.role === "standby") this.standby(name, args, peerStack, tags);
    this.registerOutputs(this.outputs);
  }

  private standby(name: string, args: PlatformFailoverArgs, peerStack: pulumi.StackReference, tags: Record<string, string>): void {
    const { config, platform } = args;
    const peer = config.failover.peer!;
    const provider = platform.cluster.provider;
    const child = { parent: this, provider };
    const labels = { owner: tags.owner, "data-classification": tags["data-classification"], "app.kubernetes.io/part-of": "warbler" };
    const namespace = new Namespace(
      `${name}-namespace`,
      { metadata: { name: failoverNamespace, labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" } } },
      child,
    );
    // Alphanumeric: psql cannot escape a variable inside a conninfo (sql-step.ts).
    const replicationPassword = new RandomPassword(`${name}-replication-password`, { length: 32, special: false }, { parent: this });
    const primaryHost = peerStack.requireOutput("databaseHost").apply(String);
    const primaryPort = peerStack.requireOutput("databasePort").apply(Number);
    const primaryDatabase = peerStack.requireOutput("databaseName").apply(String);
    const scripts = pulumi.all([primaryHost, primaryPort, primaryDatabase]).apply(([host, port, database]) => {
      const steps = setupSteps(
        { name: peer.cloud, dialect: peer.cloud as ReplicationDialect },
        { name: config.cloud, dialect: config.cloud as ReplicationDialect },
        { host, port, database, sslmode: config.failover.replication.sslmode },
      );
      return { "primary.sql": renderPsqlScript(`on the primary (${peer.cloud})`, steps.primary), "standby.sql": renderPsqlScript(`on the standby (${config.cloud})`, steps.standby) };
    });
    const scriptConfig = new ConfigMap(`${name}-replication-sql`, { metadata: { namespace: namespace.metadata.name, labels }, data: scripts }, child);
    const credentials = new Secret(
      `${name}-replication-credentials`,
      {
        metadata: { namespace: namespace.metadata.name, labels },
        stringData: {
          REPLICATION_PASSWORD: replicationPassword.result,
          PRIMARY_PASSWORD: peerStack.requireOutput("databasePassword").apply(String),
          PRIMARY_USER: peerStack.requireOutput("databaseUser").apply(String),
          STANDBY_PASSWORD: platform.database.password,
        },
      },
      child,
    );
    const selector = { "app.kubernetes.io/name": "warbler-replication-setup" };
    new NetworkPolicy(
      `${name}-replication-egress`,
      {
        metadata: { namespace: namespace.metadata.name, labels },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress", "Egress"],
          egress: [
            { to: [{ ipBlock: { cidr: peer.cidr } }, { ipBlock: { cidr: config.network.cidr } }], ports: [{ protocol: "TCP", port: 5432 }] },
            { ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
          ],
        },
      },
      child,
    );
    const standbyConn = pulumi.interpolate`host=${platform.database.host} port=${platform.database.port} dbname=${platform.database.database} user=${platform.database.username} sslmode=require`;
    const primaryConn = pulumi.interpolate`host=${primaryHost} port=${primaryPort} dbname=${primaryDatabase} sslmode=${config.failover.replication.sslmode}`;
    // Both scripts are idempotent; a changed script (new hash) replaces the Job and so reruns it.
    const scriptHash = scripts.apply((s) => createHash("sha256").update(JSON.stringify(s)).digest("hex").slice(0, 12));
    new Job(
      `${name}-replication-setup`,
      {
        metadata: { namespace: namespace.metadata.name, labels: { ...labels, ...selector }, annotations: { "warbler.io/script-sha256": scriptHash } },
        spec: {
          backoffLimit: 10,
          ttlSecondsAfterFinished: 86400,
          template: {
            metadata: { labels: { ...labels, ...selector } },
            spec: {
              restartPolicy: "OnFailure",
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "psql",
                  image: config.failover.replication.image,
                  command: ["/bin/sh", "-ec"],
                  args: [
                    'PGPASSWORD="$PRIMARY_PASSWORD" psql -X -v replication_password="$REPLICATION_PASSWORD" "$PRIMARY_CONN user=$PRIMARY_USER" -f /sql/primary.sql\n' +
                      'PGPASSWORD="$STANDBY_PASSWORD" psql -X -v replication_password="$REPLICATION_PASSWORD" "$STANDBY_CONN" -f /sql/standby.sql\n',
                  ],
                  env: [
                    { name: "PRIMARY_CONN", value: primaryConn },
                    { name: "STANDBY_CONN", value: standbyConn },
                  ],
                  envFrom: [{ secretRef: { name: credentials.metadata.name } }],
                  volumeMounts: [{ name: "sql", mountPath: "/sql", readOnly: true }],
                  securityContext: restricted,
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                },
              ],
              volumes: [{ name: "sql", configMap: { name: scriptConfig.metadata.name } }],
            },
          },
        },
      },
      child,
    );
    this.fileSync(name, args, peerStack, labels);
  }

  /**
   * The file copy runs as the IM workload's ServiceAccount, so its workload
   * identity writes the standby's bucket; the source bucket is read with
   * keys scoped to it, from the Secret `warbler-file-sync-source` that the
   * operator creates (docs/failover.md lists the policy per cloud).
   */
  private fileSync(name: string, args: PlatformFailoverArgs, peerStack: pulumi.StackReference, labels: Record<string, string>): void {
    const { config, platform } = args;
    const peer = config.failover.peer!;
    const child = { parent: this, provider: platform.cluster.provider, dependsOn: args.imLayer ?? [] };
    const selector = { "app.kubernetes.io/name": "warbler-file-sync" };
    const source = pulumi
      .all([peerStack.requireOutput("bucketName"), peerStack.requireOutput("bucketRegion"), peerStack.getOutput("bucketAccount")])
      .apply(([bucket, region, account]): SyncBucket => ({ cloud: peer.cloud, name: String(bucket), region: String(region), account: account === undefined ? undefined : String(account) }));
    const target = pulumi
      .all([platform.bucket.name, platform.bucket.account ?? pulumi.output(undefined)])
      .apply(([bucket, account]): SyncBucket => ({ cloud: config.cloud, name: bucket, region: platform.bucket.region, account }));
    const auth = targetAuth(config.cloud);
    const secretKeys = [...secretEnvNames("SRC", peer.cloud), ...(auth === "secret" ? secretEnvNames("DST", config.cloud) : [])];
    const env = pulumi.all([source, target]).apply(([s, t]) => [
      ...Object.entries({ ...rcloneRemoteEnv("SRC", s, "secret"), ...rcloneRemoteEnv("DST", t, auth), HOME: "/tmp", RCLONE_CACHE_DIR: "/tmp/cache" }).map(([n, value]) => ({ name: n, value })),
      ...secretKeys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: fileSyncSourceSecret, key } } })),
    ]);
    new NetworkPolicy(
      `${name}-file-sync-egress`,
      {
        metadata: { namespace: imWorkload.namespace, labels },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress", "Egress"],
          egress: [{ ports: [{ protocol: "TCP", port: 443 }] }, { ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] }],
        },
      },
      child,
    );
    new CronJob(
      `${name}-file-sync`,
      {
        metadata: { namespace: imWorkload.namespace, labels: { ...labels, ...selector } },
        spec: {
          schedule: config.failover.files.schedule,
          timeZone: "Etc/UTC",
          concurrencyPolicy: "Forbid",
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              template: {
                metadata: { labels: { ...labels, ...selector, ...platform.cluster.imIdentity.podLabels } },
                spec: {
                  restartPolicy: "OnFailure",
                  serviceAccountName: imWorkload.serviceAccount,
                  securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
                  containers: [
                    {
                      name: "rclone",
                      image: config.failover.files.image,
                      args: pulumi.all([source, target]).apply(([s, t]) => rcloneArgs(s, t)),
                      env,
                      securityContext: restricted,
                      volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
                    },
                  ],
                  volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }],
                },
              },
            },
          },
        },
      },
      child,
    );
  }
}
