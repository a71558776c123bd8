import { createHash } from "node:crypto";
import { Secret } from "@pulumi/kubernetes/core/v1";
import type { Provider } from "@pulumi/kubernetes/provider";
import { ConfigGroup } from "@pulumi/kubernetes/yaml";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { synthesizeImChart } from "../../charts/im/chart";
import { setupNamespace, setupSecretNames, synthesizeDatabaseSetup } from "../../charts/im/database-job";
import { defaultImDatabaseRoles, scramVerifier, verifierEnv } from "../../charts/im/database-roles";
import { ejabberdPaths } from "../../charts/im/ejabberd";
import { renderEjabberdConfig, renderEjabberdSecrets } from "../../charts/im/ejabberd-config";
import type { UploadBundle } from "../../charts/im/props";
import { imNamespace, imSecretNames, imServiceAccounts } from "../../charts/im/props";
import { uploadServicePaths } from "../../charts/im/upload-service";
import type { PlatformConfig } from "../../config/schema";
import type { PlatformOutputs } from "../contract";
import { imWorkload } from "../contract";
import { exporterBundle, sqlTlsProxyBundle } from "./bundle";
import { Deferred } from "./deferred";
import { adminUsers, clusterEjabberdSpec, databaseSetupProps, type ImPlatformFacts, imChartProps } from "./im-props";
import { uploadBundle } from "./upload-bundle";

/** PostgreSQL's port on all three managed services; a NetworkPolicy needs it as a number before the database exists. */
export const databasePort = 5432;

export interface ImServicesArgs {
  /** The validated stack config (`warbler:im`, domain, tags, network). */
  config: PlatformConfig;
  /** The kit's outputs: database, bucket, cluster identity and load-balancer annotations. */
  platform: PlatformOutputs;
  /** The cluster's provider (the kit's `cluster.provider`). */
  provider: Provider;
  /** Releases and objects the chart needs first (cert-manager, Prometheus Operator, Envoy Gateway and its class). */
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
    // The kit's identity trusts the contract's ServiceAccount; the chart gives that name to the upload service only.
    if (imServiceAccounts.upload !== imWorkload.serviceAccount)
      throw new Error(
        `the upload service's ServiceAccount '${imServiceAccounts.upload}' must be the contract's ` +
          `'${imWorkload.serviceAccount}'`,
      );
    const { config, platform } = args;
    const options = { parent: this, provider: args.provider };
    const deferred = new Deferred(name);
    const identity = platform.cluster.imIdentity;
    const turnAddress = platform.cluster.loadBalancer.turnAddress;
    const imClients = platform.cluster.loadBalancer.imClients;
    const facts: ImPlatformFacts = {
      databaseHost: deferred.text(platform.database.host),
      databasePort,
      databaseName: deferred.text(platform.database.database),
      databaseUser: deferred.text(platform.database.username),
      bucketName: deferred.text(platform.bucket.name),
      bucketEndpoint: deferred.text(platform.bucket.endpoint),
      bucketRegion: platform.bucket.region,
      bucketProtocol: platform.bucket.protocol,
      identityKind: identity.kind,
      keyId: deferred.text(platform.key.id),
      serviceAccountAnnotations: Object.fromEntries(
        Object.entries(identity.serviceAccountAnnotations).map(([k, v]) => [k, deferred.text(v)]),
      ),
      identityPodLabels: identity.podLabels,
      identityNamespaceLabels: identity.namespaceLabels,
      tcpAnnotations: platform.cluster.loadBalancer.tcpAnnotations,
      udpAnnotations: platform.cluster.loadBalancer.udpAnnotations,
      clientAddress: platform.cluster.loadBalancer.clientAddress,
      externalTrafficPolicy: platform.cluster.loadBalancer.externalTrafficPolicy,
      turnRelayIpv4: deferred.text(turnAddress.ip),
      turnAnnotations: Object.fromEntries(
        Object.entries(turnAddress.annotations).map(([k, v]) => [k, deferred.text(v)]),
      ),
      ...(turnAddress.zone ? { turnZone: turnAddress.zone } : {}),
      ...(imClients
        ? {
            imClients: {
              loadBalancerClass: imClients.loadBalancerClass,
              annotations: Object.fromEntries(
                Object.entries(imClients.annotations).map(([k, v]) => [k, deferred.text(v)]),
              ),
            },
          }
        : {}),
    };
    const spec = clusterEjabberdSpec(config, facts);
    const configText = renderEjabberdConfig(spec);

    const password = (role: string) =>
      new RandomPassword(`${name}-${role}`, { length: 48, special: false }, { parent: this }).result;
    const cookie = password("erlang-cookie");
    const turnSecret = password("turn-secret");
    const uploadSecret = password("upload-secret");
    const admins = adminUsers(config);
    this.adminPasswords = pulumi.secret(
      pulumi.all(Object.fromEntries(admins.map((user) => [user, password(`admin-${user}`)]))),
    );

    // Each workload's own database login. Only the setup namespace holds the admin password (database-job.ts).
    const roles = defaultImDatabaseRoles;
    const rolePasswords = {
      ejabberd: password("db-ejabberd"),
      exporter: password("db-exporter"),
      upload: password("db-upload"),
    };

    const secretsYml = pulumi
      .all([rolePasswords.ejabberd, turnSecret, uploadSecret])
      .apply(([sqlPassword, turn, upload]) =>
        renderEjabberdSecrets(spec, {
          sqlPassword,
          turnSecret: config.im.turn ? turn : undefined,
          uploadSecret: upload,
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
        sqlTlsProxyScript: sqlTlsProxyBundle(),
        uploadBundle: chartBundle(),
      }),
    );
    const db = platform.database;
    const verifier = (key: keyof typeof roles) =>
      pulumi.secret(rolePasswords[key].apply((p) => scramVerifier(roles[key], p)));
    // A replaced database or a rotated role password must run the Job again; Jobs are immutable, so it is in the
    // name. Verifiers are salted hashes and the rest is not secret, so a hash of them reveals nothing.
    const revision = pulumi.unsecret(
      pulumi
        .all([
          db.host,
          db.port,
          db.database,
          db.username,
          verifier("ejabberd"),
          verifier("exporter"),
          verifier("upload"),
        ])
        .apply((parts) => createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 10)),
    );
    const setupObjects = synthesizeDatabaseSetup(databaseSetupProps(config, facts, deferred.text(revision)));
    const isNamespace = (o: Record<string, unknown>) => o.kind === "Namespace";
    const namespace = new ConfigGroup(
      `${name}-namespace`,
      { objs: [...objects, ...setupObjects].filter(isNamespace).map((o) => deferred.resolve(o)) },
      options,
    );

    const secret = (
      role: string,
      secretName: string,
      stringData: pulumi.Input<Record<string, pulumi.Input<string>>>,
      secretNamespace: string = imNamespace,
    ) =>
      new Secret(
        `${name}-${role}`,
        {
          metadata: {
            name: secretName,
            namespace: secretNamespace,
            labels: { owner: config.tags.owner, "data-classification": config.tags.dataClassification },
          },
          type: "Opaque",
          stringData,
        },
        { ...options, dependsOn: [namespace] },
      );
    /** A role's postgres:// URL, TLS with host name verification against the CA at `caFile` in the pod. */
    const roleUrl = (user: string, pass: pulumi.Input<string>, caFile: string) =>
      pulumi.all([pass, db.host, db.port, db.database]).apply(([secretPass, host, port, database]) => {
        // The NetworkPolicies open only the standard port; a kit that moves it must say so here.
        if (port !== databasePort)
          throw new Error(`the database listens on port ${port}; the IM NetworkPolicy allows only ${databasePort}`);
        const query = `sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`;
        const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(secretPass)}`;
        return `postgres://${credentials}@${host}:${port}/${encodeURIComponent(database)}?${query}`;
      });
    const secrets = [
      secret("erlang-cookie", imSecretNames.erlangCookie, { cookie }),
      secret("ejabberd-secrets", imSecretNames.ejabberdSecrets, { "secrets.yml": secretsYml }),
      secret("database-ca", imSecretNames.databaseCa, { "ca.pem": db.caBundle }),
      secret("turn", imSecretNames.turn, { ETURNAL_SECRET: turnSecret }),
      secret("upload-secret", imSecretNames.uploadService, { secret: uploadSecret }),
      secret("admins", imSecretNames.admins, this.adminPasswords),
      secret("exporter-database", imSecretNames.exporterDatabase, {
        url: roleUrl(roles.exporter, rolePasswords.exporter, ejabberdPaths.databaseCa),
      }),
      secret("upload-database", imSecretNames.uploadDatabase, {
        url: roleUrl(roles.upload, rolePasswords.upload, `${uploadServicePaths.databaseCa}/ca.pem`),
      }),
    ];

    // The setup Job, in its own namespace with the admin password; the IM objects wait for it to complete (Pulumi's
    // Job await: '.status.conditions' Complete, and a Failed condition fails the update).
    const setupSecret = (role: string, secretName: string, stringData: Record<string, pulumi.Input<string>>) =>
      secret(`setup-${role}`, secretName, stringData, setupNamespace);
    const setupSecrets = [
      setupSecret("admin", setupSecretNames.admin, { password: db.password }),
      setupSecret("verifiers", setupSecretNames.verifiers, {
        [verifierEnv.ejabberd]: verifier("ejabberd"),
        [verifierEnv.exporter]: verifier("exporter"),
        [verifierEnv.upload]: verifier("upload"),
      }),
      setupSecret("database-ca", setupSecretNames.ca, { "ca.pem": db.caBundle }),
    ];
    const databaseSetup = new ConfigGroup(
      `${name}-database-setup`,
      { objs: setupObjects.filter((o) => !isNamespace(o)).map((o) => deferred.resolve(o)) },
      { ...options, dependsOn: [namespace, ...setupSecrets] },
    );

    this.objects = new ConfigGroup(
      `${name}-objects`,
      { objs: objects.filter((o) => !isNamespace(o)).map((o) => deferred.resolve(awaitProgrammed(o))) },
      { ...options, dependsOn: [namespace, ...secrets, databaseSetup, ...args.dependsOn] },
    );
    this.registerOutputs({});
  }
}

/**
 * Envoy Gateway creates the proxies' Service itself, after it has processed the Gateway, and the layer then reads
 * that Service's address with a one-shot `Service.get`, which does not retry (pulumi-kubernetes#1177). Pulumi's
 * `pulumi.com/waitFor` annotation (pulumi-kubernetes 4.18+) holds the Gateway, and so everything that depends on
 * these objects, until Envoy Gateway reports it Programmed: its Service exists and has an address
 * (gateway-api GatewayConditionProgrammed, reason AddressNotAssigned until then).
 */
export function awaitProgrammed(o: Record<string, unknown>): Record<string, unknown> {
  if (o.kind !== "Gateway") return o;
  const metadata = (o.metadata ?? {}) as { annotations?: Record<string, string> };
  const annotations = { ...metadata.annotations, "pulumi.com/waitFor": "condition=Programmed" };
  return { ...o, metadata: { ...metadata, annotations } };
}

/** The upload service's bundle as the chart ships it, run from where the chart mounts it. */
function chartBundle(): UploadBundle {
  const bundle = uploadBundle();
  const sha256 = createHash("sha256");
  for (const [name, data] of Object.entries(bundle.binaryData)) sha256.update(name).update("\0").update(data);
  const command = bundle.command(uploadServicePaths.bundle);
  return { binaryData: bundle.binaryData, sha256: sha256.digest("hex"), command };
}
