import { createHash } from "node:crypto";
import { App, Chart } from "cdk8s";
import { k8s } from "cdk8s-plus-34";
import { ArgumentChecks } from "../../lib/check";
import { cidrProblem } from "../../lib/cidr";
import { databaseSetupSql, defaultImDatabaseRoles, type ImDatabaseRoles, verifierEnv } from "./database-roles";
import { resources, restrictedContainer, scratch } from "./pod-security";
import { defaultImages, imObjectLabels, isPinned } from "./props";

/**
 * The Job that creates the IM database roles and loads ejabberd's schema, with the admin (master) login. It runs in
 * a namespace of its own, so nothing in the IM namespace can read the master password: the Kubernetes layer puts the
 * admin password, the roles' SCRAM verifiers and the database CA in Secrets here (`setupSecretNames`), and gives the
 * IM namespace only each workload's own login.
 */
export const setupNamespace = "warbler-im-setup";

/** Secrets the Kubernetes layer creates in `setupNamespace`; the Job only references them. */
export const setupSecretNames = {
  /** `password`: the admin's password. The only place it is in the cluster. */
  admin: "database-admin",
  /** One key per `verifierEnv` name: each role's SCRAM verifier (not its password). */
  verifiers: "database-role-verifiers",
  /** `ca.pem`: the database CA bundle, for sslmode=verify-full. */
  ca: "database-ca",
} as const;

/**
 * psql for the Job: the official image, same major as the psql the local tests run the script with (Debian 12's 15),
 * and new enough for `\getenv` (15+). 15.10 on Alpine 3.19 is listed by docker-library/official-images#17951
 * ("Update 15 to 15.10") and used as `docker.io/postgres:15.10-alpine3.19` in the wild
 * (test/chart/database-job.test.ts).
 * psql 15 talks to the managed 16 and 17 servers: the script uses only client-side meta-commands and plain SQL.
 */
export const defaultPsqlImage = "postgres:15.10-alpine3.19";

/** uid of `postgres` in the official Alpine images ("70 is the standard uid/gid for postgres in Alpine"). */
const psqlUid = 70;
/** uid of `ejabberd` in ProcessOne's image (`ARG UID='9000'` in .github/container/Dockerfile). */
const ejabberdUid = 9000;

const paths = { schema: "/schema", setup: "/setup", ca: "/ca" } as const;

export interface DatabaseSetupProps {
  /** Labels every object carries; policies require owner and data-classification. */
  readonly labels: { readonly owner: string; readonly dataClassification: string };
  /** The managed PostgreSQL, as the admin logs in (`sslmode=verify-full`, so `host` must be its certificate's name). */
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly adminUser: string;
  };
  /** Private ranges the database lives in: the Job's only egress besides DNS. */
  readonly databaseCidrs: string[];
  /** The ejabberd image the IM StatefulSet runs: its own pg.new.sql is the schema loaded. @default defaultImages */
  readonly ejabberdImage?: string;
  /** psql's image. @default defaultPsqlImage */
  readonly psqlImage?: string;
  /** Role names. @default defaultImDatabaseRoles */
  readonly roles?: ImDatabaseRoles;
  /**
   * Changes when the database or a role's password does (a hash the Kubernetes layer computes from them), so a
   * replaced database or a rotated password gets a new Job that runs again. @default - none
   */
  readonly revision?: string;
}

/**
 * Finds the schema in the ejabberd image and copies it for psql. ProcessOne's image keeps the release under
 * /opt/ejabberd-<version> (`cp -r .../rel/ejabberd/* $HOME-$VERSION` in .github/container/Dockerfile) and the release
 * copies sql/ to lib/ejabberd-<version>/priv/sql/ (mix.exs `copy_extra_files`); Debian's package keeps it in
 * /usr/share/ejabberd/sql. Exactly one match, or the Job fails naming what it found.
 */
export const copySchemaScript = [
  "set -eu",
  "found=$(find /opt /home /usr/lib /usr/share/ejabberd \\( -path '*/priv/sql/pg.new.sql' -o " +
    "-path '/usr/share/ejabberd/sql/pg.new.sql' \\) 2>/dev/null || true)",
  'count=$(printf "%s" "$found" | grep -c . || true)',
  'if [ "$count" != 1 ]; then',
  '  echo "expected one pg.new.sql in the ejabberd image, found $count: $found" >&2; exit 1',
  "fi",
  `cp "$found" ${paths.schema}/pg.new.sql`,
  `echo "schema: $found"`,
].join("\n");

interface ResolvedSetup {
  props: DatabaseSetupProps;
  ejabberdImage: string;
  psqlImage: string;
  roles: ImDatabaseRoles;
  sql: string;
  /** Suffix of the Job's and ConfigMap's names: a Job is immutable, so a new script or image is a new Job. */
  hash: string;
}

function resolve(props: DatabaseSetupProps): ResolvedSetup {
  const check = new ArgumentChecks("invalid database setup props");
  const ejabberdImage = props.ejabberdImage ?? defaultImages.ejabberd;
  const psqlImage = props.psqlImage ?? defaultPsqlImage;
  const unpinned = "must be pinned by a version tag or a digest, never 'latest' or untagged";
  check.require(isPinned(ejabberdImage), "ejabberdImage", ejabberdImage, unpinned);
  check.require(isPinned(psqlImage), "psqlImage", psqlImage, unpinned);
  check.require(
    props.databaseCidrs.length > 0,
    "databaseCidrs",
    props.databaseCidrs,
    "must name the database's network",
  );
  props.databaseCidrs.forEach((cidr, i) => {
    const problem = cidrProblem(cidr);
    if (problem) check.add(`databaseCidrs[${i}]`, cidr, problem);
  });
  const port = props.database.port;
  check.require(Number.isInteger(port) && port > 0 && port < 65536, "database.port", port, "must be a TCP port");
  check.throwIfAny(Error);
  const roles = props.roles ?? defaultImDatabaseRoles;
  const sql = databaseSetupSql({ roles, schemaFile: `${paths.schema}/pg.new.sql` });
  const hash = createHash("sha256")
    .update(JSON.stringify({ sql, ejabberdImage, psqlImage, roles }))
    .digest("hex")
    .slice(0, 10);
  return { props, ejabberdImage, psqlImage, roles, sql, hash };
}

/** The Job's name for these props: it changes whenever the script, the images or the roles change. */
export function databaseSetupJobName(props: DatabaseSetupProps): string {
  const revision = props.revision ? `-${props.revision}` : "";
  return `im-database-setup-${resolve(props).hash}${revision}`;
}

/** The setup namespace's objects: Namespace, ServiceAccount, NetworkPolicies, the script's ConfigMap and the Job. */
export class DatabaseSetupChart extends Chart {
  constructor(scope: App, id: string, input: DatabaseSetupProps) {
    super(scope, id);
    const setup = resolve(input);
    const labels = imObjectLabels(input.labels);
    const meta = (name: string): k8s.ObjectMeta => ({ name, namespace: setupNamespace, labels });
    new k8s.KubeNamespace(this, "namespace", {
      metadata: {
        name: setupNamespace,
        labels: {
          ...labels,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    });
    new k8s.KubeServiceAccount(this, "service-account", {
      metadata: meta("database-setup"),
      automountServiceAccountToken: false,
    });
    addSetupNetworkPolicies(this, setup, meta);
    const name = databaseSetupJobName(input);
    new k8s.KubeConfigMap(this, "script", {
      metadata: meta(name),
      immutable: true,
      data: { "setup.sql": setup.sql },
    });
    new k8s.KubeJob(this, "job", { metadata: meta(name), spec: jobSpec(setup, name, labels) });
  }
}

function jobSpec(setup: ResolvedSetup, name: string, labels: Record<string, string>): k8s.JobSpec {
  const { database } = setup.props;
  const fromSecret = (secret: string, key: string): k8s.EnvVarSource => ({ secretKeyRef: { name: secret, key } });
  const asUser = (uid: number): k8s.SecurityContext => ({ ...restrictedContainer, runAsUser: uid, runAsGroup: uid });
  return {
    // Each attempt is idempotent (one transaction); a few retries ride out a database that is still starting.
    backoffLimit: 4,
    activeDeadlineSeconds: 900,
    template: {
      metadata: { labels: { ...labels, "app.kubernetes.io/name": "im-database-setup" } },
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "database-setup",
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        volumes: [
          scratch("schema", "16Mi"),
          { name: "script", configMap: { name } },
          { name: "ca", secret: { secretName: setupSecretNames.ca } },
        ],
        initContainers: [
          {
            name: "schema",
            image: setup.ejabberdImage,
            command: ["/bin/sh", "-c", copySchemaScript],
            securityContext: asUser(ejabberdUid),
            resources: resources("50m", "200m", "64Mi"),
            volumeMounts: [{ name: "schema", mountPath: paths.schema }],
          },
        ],
        containers: [
          {
            name: "psql",
            image: setup.psqlImage,
            command: ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", `${paths.setup}/setup.sql`],
            env: [
              { name: "PGHOST", value: database.host },
              { name: "PGPORT", value: String(database.port) },
              { name: "PGDATABASE", value: database.name },
              { name: "PGUSER", value: database.adminUser },
              { name: "PGPASSWORD", valueFrom: fromSecret(setupSecretNames.admin, "password") },
              // Chain and host name: a server that is not the database's certificate name is refused.
              { name: "PGSSLMODE", value: "verify-full" },
              { name: "PGSSLROOTCERT", value: `${paths.ca}/ca.pem` },
              { name: "PGCONNECT_TIMEOUT", value: "10" },
              { name: "PGAPPNAME", value: "warbler-im-setup" },
              ...Object.values(verifierEnv).map((env) => ({
                name: env,
                valueFrom: fromSecret(setupSecretNames.verifiers, env),
              })),
            ],
            securityContext: asUser(psqlUid),
            resources: resources("50m", "500m", "128Mi"),
            volumeMounts: [
              { name: "schema", mountPath: paths.schema, readOnly: true },
              { name: "script", mountPath: paths.setup, readOnly: true },
              { name: "ca", mountPath: paths.ca, readOnly: true },
            ],
          },
        ],
      },
    },
  };
}

/** Default deny; the Job may reach DNS and the database's port in its ranges, nothing else, and nothing reaches it. */
function addSetupNetworkPolicies(scope: Chart, setup: ResolvedSetup, meta: (name: string) => k8s.ObjectMeta): void {
  const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: "TCP", port: k8s.IntOrString.fromNumber(port) });
  new k8s.KubeNetworkPolicy(scope, "default-deny", {
    metadata: meta("default-deny"),
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
  new k8s.KubeNetworkPolicy(scope, "allow-dns", {
    metadata: meta("allow-dns"),
    spec: {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [{ protocol: "UDP", port: k8s.IntOrString.fromNumber(53) }, tcp(53)],
        },
      ],
    },
  });
  new k8s.KubeNetworkPolicy(scope, "allow-database", {
    metadata: meta("allow-database"),
    spec: {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: setup.props.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [tcp(setup.props.database.port)],
        },
      ],
    },
  });
}

/** Synthesizes the setup namespace's manifests, namespace first. */
export function synthesizeDatabaseSetup(props: DatabaseSetupProps): Record<string, unknown>[] {
  const app = new App();
  const chart = new DatabaseSetupChart(app, "warbler-im-setup", props);
  return chart.toJson() as Record<string, unknown>[];
}
