import { createHash } from "node:crypto";
import { Secret } from "@pulumi/kubernetes/core/v1";
import type { Provider } from "@pulumi/kubernetes/provider";
import { ConfigGroup } from "@pulumi/kubernetes/yaml";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { synthesizeImChart } from "../../charts/im/chart";
import { ejabberdPaths } from "../../charts/im/ejabberd";
import { renderEjabberdConfig, renderEjabberdSecrets } from "../../charts/im/ejabberd-config";
import { imNamespace, imSecretNames } from "../../charts/im/props";
import type { PlatformConfig } from "../../config/schema";
import type { PlatformOutputs } from "../contract";
import { imWorkload } from "../contract";
import { Deferred } from "./deferred";
import { exporterBundle } from "./exporter-bundle";
import { adminUsers, clusterEjabberdSpec, type ImPlatformFacts, imChartProps } from "./im-props";

/** PostgreSQL's port on all three managed services; a NetworkPolicy needs it as a number before the database exists. */
export const databasePort = 5432;

export interface ImServicesArgs {
  /** The validated stack config (`warbler:im`, domain, tags, network). */
  config: PlatformConfig;
  /** The kit's outputs: database, bucket, cluster identity and load-balancer annotations. */
  platform: PlatformOutputs;
  /** The cluster's provider (the kit's `cluster.provider`). */
  provider: Provider;
  /** Helm releases whose CRDs and controllers the chart needs (cert-manager, Prometheus Operator, ingress-nginx). */
  dependsOn: pulumi.Resource[];
}

/**
 * The IM chart applied to the cluster, with the Secrets it references
 * created here from secret Outputs, never synthesized into the chart.
 */
export class ImServices extends pulumi.ComponentResource {
  /** Administrator passwords by user name (secret). */
  readonly adminPasswords: pulumi.Output<Record<string, string>>;
  /** The applied objects, keyed `<apiVersion>/<kind>::<namespace>/<name>`. */
  readonly objects: ConfigGroup;

  constructor(name: string, args: ImServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:kubernetes:ImServices", name, {}, opts);
    if (imNamespace !== imWorkload.namespace)
      throw new Error(`the chart's namespace '${imNamespace}' must be the contract's '${imWorkload.namespace}'`);
    const { config, platform } = args;
    const options = { parent: this, provider: args.provider };
    const deferred = new Deferred(name);
    const identity = platform.cluster.imIdentity;
    const turnAddress = platform.cluster.loadBalancer.turnAddress;
    const bucketCredentials = platform.bucket.staticCredentials;
    // Like the config checksum: a hash of high-entropy secrets reveals nothing, and rolls the gateway when the key pair
    // is rotated.
    const bucketCredentialsChecksum = bucketCredentials
      ? pulumi.unsecret(
          pulumi
            .all([bucketCredentials.accessKeyId, bucketCredentials.secretAccessKey])
            .apply(([id, key]) => createHash("sha256").update(id).update("\0").update(key).digest("hex")),
        )
      : undefined;
    const facts: ImPlatformFacts = {
      databaseHost: deferred.text(platform.database.host),
      databasePort,
      databaseName: deferred.text(platform.database.database),
      databaseUser: deferred.text(platform.database.username),
      bucketName: deferred.text(platform.bucket.name),
      bucketEndpoint: deferred.text(platform.bucket.endpoint),
      bucketRegion: platform.bucket.region,
      bucketProtocol: platform.bucket.protocol,
      serviceAccountAnnotations: Object.fromEntries(
        Object.entries(identity.serviceAccountAnnotations).map(([k, v]) => [k, deferred.text(v)]),
      ),
      identityPodLabels: identity.podLabels,
      identityNamespaceLabels: identity.namespaceLabels,
      tcpAnnotations: platform.cluster.loadBalancer.tcpAnnotations,
      udpAnnotations: platform.cluster.loadBalancer.udpAnnotations,
      turnRelayIpv4: deferred.text(turnAddress.ip),
      turnAnnotations: Object.fromEntries(
        Object.entries(turnAddress.annotations).map(([k, v]) => [k, deferred.text(v)]),
      ),
      ...(turnAddress.zone ? { turnZone: turnAddress.zone } : {}),
      ...(bucketCredentialsChecksum ? { bucketCredentialsChecksum: deferred.text(bucketCredentialsChecksum) } : {}),
    };
    const spec = clusterEjabberdSpec(config, facts);
    const configText = renderEjabberdConfig(spec);

    const password = (role: string) =>
      new RandomPassword(`${name}-${role}`, { length: 48, special: false }, { parent: this }).result;
    const cookie = password("erlang-cookie");
    const turnSecret = password("turn-secret");
    const gatewayKeyId = new RandomPassword(
      `${name}-gateway-key-id`,
      { length: 20, special: false, lower: false },
      { parent: this },
    ).result;
    const gatewaySecret = password("gateway-secret");
    const admins = adminUsers(config);
    this.adminPasswords = pulumi.secret(
      pulumi.all(Object.fromEntries(admins.map((user) => [user, password(`admin-${user}`)]))),
    );

    const secretsYml = pulumi
      .all([platform.database.password, turnSecret, gatewayKeyId, gatewaySecret])
      .apply(([sqlPassword, turn, keyId, secretKey]) =>
        renderEjabberdSecrets(spec, {
          sqlPassword,
          turnSecret: config.im.turn ? turn : undefined,
          s3AccessKeyId: keyId,
          s3SecretAccessKey: secretKey,
        }),
      );
    const resolvedConfig = deferred.resolve(configText) as pulumi.Output<string>;
    // A hash of high-entropy secrets reveals nothing, and keeping it plain keeps the StatefulSet readable in plans.
    const checksum = pulumi.unsecret(
      pulumi
        .all([resolvedConfig, secretsYml])
        .apply(([text, secrets]) => createHash("sha256").update(text).update(secrets).digest("hex")),
    );

    const objects = synthesizeImChart(
      imChartProps(config, facts, {
        ejabberdConfig: configText,
        configChecksum: deferred.text(checksum),
        exporterScript: exporterBundle(),
      }),
    );
    const isNamespace = (o: Record<string, unknown>) => o.kind === "Namespace";
    const namespace = new ConfigGroup(
      `${name}-namespace`,
      { objs: objects.filter(isNamespace).map((o) => deferred.resolve(o)) },
      options,
    );

    const secret = (role: string, secretName: string, stringData: pulumi.Input<Record<string, pulumi.Input<string>>>) =>
      new Secret(
        `${name}-${role}`,
        {
          metadata: {
            name: secretName,
            namespace: imNamespace,
            labels: { owner: config.tags.owner, "data-classification": config.tags.dataClassification },
          },
          type: "Opaque",
          stringData,
        },
        { ...options, dependsOn: [namespace] },
      );
    const db = platform.database;
    const secrets = [
      secret("erlang-cookie", imSecretNames.erlangCookie, { cookie }),
      secret("ejabberd-secrets", imSecretNames.ejabberdSecrets, { "secrets.yml": secretsYml }),
      secret("database-ca", imSecretNames.databaseCa, { "ca.pem": db.caBundle }),
      secret("turn", imSecretNames.turn, { ETURNAL_SECRET: turnSecret }),
      secret("upload-gateway", imSecretNames.uploadGateway, {
        S3PROXY_IDENTITY: gatewayKeyId,
        S3PROXY_CREDENTIAL: gatewaySecret,
        ...(bucketCredentials
          ? { JCLOUDS_IDENTITY: bucketCredentials.accessKeyId, JCLOUDS_CREDENTIAL: bucketCredentials.secretAccessKey }
          : {}),
      }),
      secret("admins", imSecretNames.admins, this.adminPasswords),
      secret("exporter-database", imSecretNames.exporterDatabase, {
        url: pulumi
          .all([db.username, db.password, db.host, db.port, db.database])
          .apply(([user, pass, host, port, database]) => {
            // The NetworkPolicy above opens only the standard port; a kit that moves it must say so here.
            if (port !== databasePort)
              throw new Error(`the database listens on port ${port}; the IM NetworkPolicy allows only ${databasePort}`);
            const query = `sslmode=verify-full&sslrootcert=${encodeURIComponent(ejabberdPaths.databaseCa)}`;
            const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(pass)}`;
            return `postgres://${credentials}@${host}:${port}/${encodeURIComponent(database)}?${query}`;
          }),
      }),
    ];

    this.objects = new ConfigGroup(
      `${name}-objects`,
      { objs: objects.filter((o) => !isNamespace(o)).map((o) => deferred.resolve(o)) },
      { ...options, dependsOn: [namespace, ...secrets, ...args.dependsOn] },
    );
    this.registerOutputs({});
  }
}
