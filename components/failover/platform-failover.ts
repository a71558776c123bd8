import { createHash } from "node:crypto";
import { CronJob, type CronJobArgs, Job, type JobArgs } from "@pulumi/kubernetes/batch/v1";
import {
  ConfigMap,
  type ConfigMapArgs,
  Namespace,
  type NamespaceArgs,
  Secret,
  type SecretArgs,
} from "@pulumi/kubernetes/core/v1";
import { NetworkPolicy, type NetworkPolicyArgs } from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { fileSyncCronJob, fileSyncEgress } from "../../charts/failover/file-sync";
import type { Manifest } from "../../charts/failover/manifest";
import {
  replicationCredentials,
  replicationEgress,
  replicationNamespace,
  replicationScripts,
  replicationSetupJob,
} from "../../charts/failover/replication";
import type { PlatformConfig } from "../../config/schema";
import { setupSteps } from "../../failover/replication-sql";
import { renderPsqlScript } from "../../failover/sql-step";
import { ArgumentChecks } from "../../lib/check";
import { mirrorImage } from "../../lib/registry-mirror";
import { imWorkload, type PlatformOutputs } from "../contract";
import { kitFor } from "../kits";
import { Deferred } from "../kubernetes/deferred";
import { standardTags } from "../tags";
import { rcloneArgs, rcloneRemoteEnv, type SyncBucket, secretEnvNames, targetAuth } from "./file-sync-plan";
import { linkProblems, presharedKeySpec } from "./vpn-plan";

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

/**
 * One platform stack's part in cross-cloud failover: its end of the IPsec
 * link on both roles; on the standby also the Job that sets up logical
 * replication from the primary (the Pulumi engine has no route to private
 * databases; the standby cluster has one, over the link) and the CronJob
 * that copies uploaded files from the primary's bucket. The Kubernetes
 * objects are authored in charts/failover/; Outputs reach them through
 * `Deferred` placeholders.
 */
export class PlatformFailover extends pulumi.ComponentResource {
  /** Outputs the peer stack and the global stack read through StackReference. */
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(name: string, args: PlatformFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:failover:PlatformFailover", name, {}, opts);
    const { config, platform } = args;
    const configuredPeer = config.failover.peer;
    const check = new ArgumentChecks(`invalid PlatformFailover '${name}'`);
    check.require(config.failover.role !== "none", "failover.role", config.failover.role, "must be primary or standby");
    check.require(configuredPeer !== undefined, "failover.peer", configuredPeer, "must be set");
    // The config schema already refuses a peer on this stack's own cloud; the link ranges are checked here.
    if (configuredPeer) linkProblems({ localCidr: config.network.cidr, peerCidr: configuredPeer.cidr }, check);
    check.throwIfAny(Error);
    const peer = configuredPeer!;
    const parent = { parent: this };
    const tags: Record<string, string> = { ...standardTags(config, args.stack) };
    const peerStack = new pulumi.StackReference(`${name}-peer`, { name: peer.stack }, parent);

    // The primary generates the link's key; the standby reads it from the primary's outputs.
    const presharedKey =
      config.failover.role === "primary"
        ? new RandomPassword(`${name}-psk`, { ...presharedKeySpec }, parent).result
        : pulumi.secret(peerStack.requireOutput("vpnPresharedKey").apply(String));
    const link = kitFor(config.cloud).vpn(
      `${name}-vpn`,
      {
        network: platform.network,
        region: config.region,
        peerCidr: peer.cidr,
        peerGatewayIp: peer.gatewayIp,
        peerSecondGatewayIp: peer.secondGatewayIp,
        presharedKey,
        tags,
      },
      parent,
    );
    this.outputs = {
      failoverRole: config.failover.role,
      vpnGatewayIp: link.gatewayIp,
      ...(link.secondGatewayIp ? { vpnSecondGatewayIp: link.secondGatewayIp } : {}),
      ...(config.failover.role === "primary" ? { vpnPresharedKey: pulumi.secret(presharedKey) } : {}),
      databasePort: platform.database.port,
      databaseName: platform.database.database,
      databaseUser: platform.database.username,
      databasePassword: pulumi.secret(platform.database.password),
      bucketRegion: platform.bucket.region,
      ...(platform.bucket.account ? { bucketAccount: platform.bucket.account } : {}),
    };
    if (config.failover.role === "standby") {
      const labels = {
        owner: tags.owner,
        "data-classification": tags["data-classification"],
        "app.kubernetes.io/part-of": "warbler",
      };
      const deferred = new Deferred(name);
      this.replication(name, args, peerStack, labels, deferred);
      this.fileSync(name, args, peerStack, labels, deferred);
    }
    this.registerOutputs(this.outputs);
  }

  private replication(
    name: string,
    args: PlatformFailoverArgs,
    peerStack: pulumi.StackReference,
    labels: Record<string, string>,
    deferred: Deferred,
  ): void {
    const { config, platform } = args;
    const peer = config.failover.peer!;
    const child = { parent: this, provider: platform.cluster.provider };
    const namespace = new Namespace(
      `${name}-namespace`,
      resolve<NamespaceArgs>(deferred, replicationNamespace(labels)),
      child,
    );
    const objects = { namespace: deferred.text(namespace.metadata.name), labels };
    // Alphanumeric: psql cannot escape a variable inside a conninfo (sql-step.ts).
    const replicationPassword = new RandomPassword(
      `${name}-replication-password`,
      { length: 32, special: false },
      { parent: this },
    );
    const primaryHost = peerStack.requireOutput("databaseHost").apply(String);
    const primaryPort = peerStack.requireOutput("databasePort").apply(Number);
    const primaryDatabase = peerStack.requireOutput("databaseName").apply(String);
    const scripts = pulumi.all([primaryHost, primaryPort, primaryDatabase]).apply(([host, port, database]) => {
      const steps = setupSteps(
        { name: peer.cloud, dialect: kitFor(peer.cloud).replication.dialect },
        { name: config.cloud, dialect: kitFor(config.cloud).replication.dialect },
        { host, port, database, sslmode: config.failover.replication.sslmode },
      );
      return {
        "primary.sql": renderPsqlScript(`on the primary (${peer.cloud})`, steps.primary),
        "standby.sql": renderPsqlScript(`on the standby (${config.cloud})`, steps.standby),
      };
    });
    const scriptFiles = {
      "primary.sql": deferred.text(scripts.apply((s) => s["primary.sql"])),
      "standby.sql": deferred.text(scripts.apply((s) => s["standby.sql"])),
    };
    const scriptConfig = new ConfigMap(
      `${name}-replication-sql`,
      resolve<ConfigMapArgs>(deferred, replicationScripts({ ...objects, scripts: scriptFiles })),
      child,
    );
    const credentials = new Secret(
      `${name}-replication-credentials`,
      {
        ...resolve<SecretArgs>(deferred, replicationCredentials(objects)),
        stringData: {
          REPLICATION_PASSWORD: replicationPassword.result,
          PRIMARY_PASSWORD: peerStack.requireOutput("databasePassword").apply(String),
          PRIMARY_USER: peerStack.requireOutput("databaseUser").apply(String),
          STANDBY_PASSWORD: platform.database.password,
        },
      },
      child,
    );
    const egress = replicationEgress({ ...objects, databaseCidrs: [peer.cidr, config.network.cidr] });
    new NetworkPolicy(`${name}-replication-egress`, resolve<NetworkPolicyArgs>(deferred, egress), child);
    const db = platform.database;
    const conninfo = (host: pulumi.Input<string>, port: pulumi.Input<number>, dbname: pulumi.Input<string>) =>
      pulumi.interpolate`host=${host} port=${port} dbname=${dbname}`;
    const standby = conninfo(db.host, db.port, db.database);
    const standbyConn = pulumi.interpolate`${standby} user=${db.username} sslmode=require`;
    const { sslmode } = config.failover.replication;
    const primaryConn = pulumi.interpolate`${conninfo(primaryHost, primaryPort, primaryDatabase)} sslmode=${sslmode}`;
    // Both scripts are idempotent; a changed script (new hash) replaces the Job and so reruns it.
    const scriptHash = scripts.apply((s) => createHash("sha256").update(JSON.stringify(s)).digest("hex").slice(0, 12));
    const job = replicationSetupJob({
      ...objects,
      image: mirrorImage(config.failover.replication.image, config.cluster.registryMirror?.images),
      primaryConn: deferred.text(primaryConn),
      standbyConn: deferred.text(standbyConn),
      scriptHash: deferred.text(scriptHash),
      scripts: deferred.text(scriptConfig.metadata.name),
      credentials: deferred.text(credentials.metadata.name),
    });
    new Job(`${name}-replication-setup`, resolve<JobArgs>(deferred, job), child);
  }

  /**
   * The file copy runs as the IM workload's ServiceAccount, so its workload
   * identity writes the standby's bucket; the source bucket is read with
   * keys scoped to it, from the Secret `warbler-file-sync-source` that the
   * operator creates (docs/failover.md lists the policy per cloud).
   */
  private fileSync(
    name: string,
    args: PlatformFailoverArgs,
    peerStack: pulumi.StackReference,
    labels: Record<string, string>,
    deferred: Deferred,
  ): void {
    const { config, platform } = args;
    const peer = config.failover.peer!;
    const child = { parent: this, provider: platform.cluster.provider, dependsOn: args.imLayer ?? [] };
    const sourceFiles = kitFor(peer.cloud).replication.files;
    const targetFiles = kitFor(config.cloud).replication.files;
    const peerText = (output: string) => deferred.text(peerStack.requireOutput(output).apply(String));
    const source: SyncBucket = {
      name: peerText("bucketName"),
      region: peerText("bucketRegion"),
      // Only a peer whose buckets live in a storage account exports one.
      ...(sourceFiles.storageAccount ? { account: peerText("bucketAccount") } : {}),
    };
    const target: SyncBucket = {
      name: deferred.text(platform.bucket.name),
      region: platform.bucket.region,
      ...(platform.bucket.account ? { account: deferred.text(platform.bucket.account) } : {}),
    };
    const auth = targetAuth(targetFiles);
    const objects = { namespace: imWorkload.namespace, labels };
    new NetworkPolicy(`${name}-file-sync-egress`, resolve<NetworkPolicyArgs>(deferred, fileSyncEgress(objects)), child);
    const cronJob = fileSyncCronJob({
      ...objects,
      schedule: config.failover.files.schedule,
      image: mirrorImage(config.failover.files.image, config.cluster.registryMirror?.images),
      serviceAccount: imWorkload.serviceAccount,
      identityPodLabels: platform.cluster.imIdentity.podLabels,
      args: rcloneArgs(source, target),
      remotes: {
        ...rcloneRemoteEnv("SRC", source, sourceFiles, "secret"),
        ...rcloneRemoteEnv("DST", target, targetFiles, auth),
      },
      secretKeys: [
        ...secretEnvNames("SRC", sourceFiles),
        ...(auth === "secret" ? secretEnvNames("DST", targetFiles) : []),
      ],
      keysSecret: fileSyncSourceSecret,
    });
    new CronJob(`${name}-file-sync`, resolve<CronJobArgs>(deferred, cronJob), child);
  }
}

/** A synthesized object as the args of its Pulumi resource, with the Outputs put back in. */
function resolve<T>(deferred: Deferred, manifest: Manifest): T {
  return deferred.resolve(manifest) as T;
}
