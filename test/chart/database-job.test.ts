import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { Provider } from "@pulumi/kubernetes/provider";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import {
  copySchemaScript,
  type DatabaseSetupProps,
  databaseSetupJobName,
  defaultPsqlImage,
  setupNamespace,
  setupSecretNames,
  synthesizeDatabaseSetup,
} from "../../charts/im/database-job";
import { databaseSetupSql, verifierEnv } from "../../charts/im/database-roles";
import { imNamespace, imSecretNames, isPinned } from "../../charts/im/props";
import { databaseSetupProps } from "../../components/kubernetes/im-props";
import { KubernetesLayer } from "../../components/kubernetes/layer";
import { randomMocks } from "../../plan/mocks/random";
import { recordProgram } from "../../plan/record";
import { exampleConfig, exampleStacks, fakePlatformOutputs, sampleFacts, synthesizeFor } from "./fixtures";

/*
 * Sources for the facts these tests pin:
 * - Where ProcessOne's image keeps the schema: .github/container/Dockerfile copies the release to
 *   /opt/ejabberd-$VERSION (`cp -r $BUILD_DIR/_build/prod/rel/ejabberd/* $HOME-$VERSION`, `ARG HOME="opt/$USER"`,
 *   `ARG UID='9000'`), and mix.exs `copy_extra_files` copies every sql/ file to
 *   lib/ejabberd-<version>/priv/sql/ (github.com/processone/ejabberd, mix.exs and .github/container/Dockerfile).
 * - The psql image: docker-library/official-images#17951 "Update 15 to 15.10" (2024-11-21), and
 *   `docker.io/postgres:15.10-alpine3.19` in stephdl/ns8-kickstart-postgresql#17; uid 70 is "the standard uid/gid for
 *   postgres in Alpine" (docker-library/postgres Dockerfiles).
 * - Pulumi waits for a Job: "The Job's '.status.conditions' has a status of type 'Complete'" ... "do not have a
 *   status of type 'Failed' ... we should fail the Job immediately", 10-minute default timeout
 *   (https://www.pulumi.com/docs/reference/pkg/kubernetes/batch/v1/job,
 *   pulumi/pulumi-kubernetes#633 "Add Job awaiter").
 */

type Manifest = Record<string, any>;

const props = (stack: (typeof exampleStacks)[number]): DatabaseSetupProps =>
  databaseSetupProps(exampleConfig(stack), sampleFacts[stack]);

function validate(o: Manifest): void {
  const models: Record<string, new (d: any) => { validate(): void }> = {
    Namespace,
    ServiceAccount,
    ConfigMap,
    NetworkPolicy,
    Job,
  };
  const Model = models[o.kind];
  assert.ok(Model, `no model for ${o.kind}`);
  new Model(o).validate();
}

for (const stack of exampleStacks) {
  describe(`database setup Job (${stack})`, () => {
    let objects: Manifest[];
    let job: Manifest;
    before(() => {
      objects = synthesizeDatabaseSetup(props(stack)) as Manifest[];
      job = objects.find((o) => o.kind === "Job")!;
    });

    it("puts every object in its own namespace, not the IM one, under Pod Security restricted", () => {
      for (const o of objects) validate(o);
      const ns = objects.find((o) => o.kind === "Namespace")!;
      assert.equal(ns.metadata.name, setupNamespace);
      assert.notEqual(setupNamespace, imNamespace);
      assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
      for (const o of objects.filter((x) => x.kind !== "Namespace")) assert.equal(o.metadata.namespace, setupNamespace);
    });

    it("runs the Job restricted: non-root, no capabilities, no escalation, no token, read-only root", () => {
      const pod = job.spec.template.spec;
      assert.equal(pod.automountServiceAccountToken, false);
      const sa = objects.find((o) => o.kind === "ServiceAccount")!;
      assert.equal(sa.automountServiceAccountToken, false);
      assert.equal(pod.serviceAccountName, sa.metadata.name);
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
      assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC);
      const containers = [...pod.initContainers, ...pod.containers];
      assert.deepEqual(
        containers.map((c: Manifest) => c.name),
        ["schema", "psql"],
      );
      for (const c of containers) {
        const sc = c.securityContext;
        assert.equal(sc.allowPrivilegeEscalation, false, c.name);
        assert.deepEqual(sc.capabilities, { drop: ["ALL"] }, c.name);
        assert.equal(sc.readOnlyRootFilesystem, true, c.name);
        assert.ok(sc.runAsUser > 0, c.name);
        assert.ok(isPinned(c.image), c.image);
      }
      for (const v of pod.volumes) assert.ok(!v.hostPath, v.name);
    });

    it("allows egress to DNS and the database port in its ranges only, and no ingress", () => {
      const policies = objects.filter((o) => o.kind === "NetworkPolicy");
      const deny = policies.find((p) => p.metadata.name === "default-deny")!;
      assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      assert.ok(!policies.some((p) => p.spec.ingress), "something may reach the Job");
      const egress = policies.flatMap((p) => p.spec.egress ?? []);
      const flows = egress.flatMap((rule: Manifest) =>
        rule.to.flatMap((peer: Manifest) =>
          rule.ports.map(
            (port: Manifest) =>
              `${peer.ipBlock?.cidr ?? peer.podSelector?.matchLabels["k8s-app"]}` + ` ${port.protocol}/${port.port}`,
          ),
        ),
      );
      const cidr = exampleConfig(stack).network.cidr;
      assert.deepEqual(flows.sort(), [`${cidr} TCP/5432`, "kube-dns TCP/53", "kube-dns UDP/53"].sort());
      const dns = egress.find((r: Manifest) => r.to[0].podSelector);
      assert.deepEqual(dns.to[0].namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": "kube-system" });
      assert.ok(!egress.some((r: Manifest) => r.to.some((p: Manifest) => p.ipBlock?.cidr === "0.0.0.0/0")));
    });

    it("connects with verify-full against the mounted CA and takes every secret from the setup Secrets", () => {
      const psql = job.spec.template.spec.containers[0];
      const env = Object.fromEntries(psql.env.map((e: Manifest) => [e.name, e]));
      assert.equal(env.PGSSLMODE.value, "verify-full");
      const ca = psql.volumeMounts.find((m: Manifest) => m.name === "ca");
      assert.equal(env.PGSSLROOTCERT.value, `${ca.mountPath}/ca.pem`);
      const volume = job.spec.template.spec.volumes.find((v: Manifest) => v.name === "ca");
      assert.equal(volume.secret.secretName, setupSecretNames.ca);
      assert.equal(env.PGHOST.value, sampleFacts[stack].databaseHost);
      assert.equal(env.PGUSER.value, sampleFacts[stack].databaseUser);
      assert.deepEqual(env.PGPASSWORD.valueFrom, { secretKeyRef: { name: setupSecretNames.admin, key: "password" } });
      for (const name of Object.values(verifierEnv))
        assert.deepEqual(env[name].valueFrom, { secretKeyRef: { name: setupSecretNames.verifiers, key: name } });
      assert.equal(psql.image, defaultPsqlImage);
    });

    it("runs the repository's setup script on the schema the ejabberd image of the StatefulSet carries", () => {
      const pod = job.spec.template.spec;
      const init = pod.initContainers[0];
      assert.equal(init.image, exampleConfig(stack).im.image, "the schema comes from the image that runs");
      const ims = synthesizeFor(exampleConfig(stack));
      const sts = ims.find((o) => o.kind === "StatefulSet" && o.metadata.name === "ejabberd")!;
      assert.equal(init.image, sts.spec.template.spec.containers[0].image);
      const schemaMount = init.volumeMounts[0].mountPath;
      const script = objects.find((o) => o.kind === "ConfigMap")!;
      assert.equal(script.data["setup.sql"], databaseSetupSql({ schemaFile: `${schemaMount}/pg.new.sql` }));
      assert.equal(script.immutable, true);
      const command = pod.containers[0].command.join(" ");
      const scriptMount = pod.containers[0].volumeMounts.find((m: Manifest) => m.name === "script").mountPath;
      assert.ok(command.endsWith(`-f ${scriptMount}/setup.sql`), command);
      assert.match(command, /ON_ERROR_STOP=1/);
    });

    it("is named from a hash of what it does, so a new script or image is a new Job", () => {
      const base = props(stack);
      const name = job.metadata.name;
      assert.match(name, /^im-database-setup-[0-9a-f]{10}$/);
      assert.equal(objects.find((o) => o.kind === "ConfigMap")!.metadata.name, name);
      assert.equal(databaseSetupJobName(base), name);
      assert.equal(databaseSetupJobName({ ...base, labels: { owner: "x", dataClassification: "y" } }), name);
      const other = [
        { ...base, ejabberdImage: "ghcr.io/processone/ejabberd:25.10" },
        { ...base, psqlImage: "postgres:15.9-alpine3.20" },
        { ...base, roles: { ejabberd: "e", exporter: "x", upload: "u" } },
      ];
      for (const p of other) assert.notEqual(databaseSetupJobName(p), name);
      // A replaced database or a rotated password must run the Job again; the layer passes their hash.
      assert.equal(databaseSetupJobName({ ...base, revision: "0123456789" }), `${name}-0123456789`);
    });
  });
}

describe("the IM namespace and the admin login", () => {
  it("no IM object references a setup Secret, and the setup Secrets are not IM Secret names", () => {
    const setupNames = new Set<string>(Object.values(setupSecretNames));
    for (const name of Object.values(imSecretNames)) assert.ok(!setupNames.has(name), name);
    for (const stack of exampleStacks) {
      const ims = synthesizeFor(exampleConfig(stack));
      const referenced = new Set<string>();
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") {
          const o = v as Manifest;
          if (typeof o.secretName === "string") referenced.add(o.secretName);
          if (o.secretKeyRef) referenced.add(o.secretKeyRef.name);
          if (o.secretRef) referenced.add(o.secretRef.name);
          Object.values(o).forEach(walk);
        }
      };
      walk(ims.filter((o) => o.metadata?.namespace === imNamespace));
      for (const name of referenced) assert.ok(!setupNames.has(name), `${stack}: an IM object mounts ${name}`);
      assert.ok(!ims.some((o) => o.metadata?.namespace === setupNamespace), "the IM chart reaches the setup namespace");
    }
  });

  it("refuses an unpinned image and a database without a network, naming the key", () => {
    const base = props("aws");
    assert.throws(() => synthesizeDatabaseSetup({ ...base, psqlImage: "postgres" }), /'psqlImage' \("postgres"\)/);
    assert.throws(() => synthesizeDatabaseSetup({ ...base, databaseCidrs: [] }), /'databaseCidrs'/);
  });

  it("copies exactly one pg.new.sql out of an ejabberd install (run here on Debian's package layout)", () => {
    const dir = mkdtempSync(join(tmpdir(), "warbler-schema-"));
    try {
      const out = execFileSync("/bin/sh", ["-c", copySchemaScript.replaceAll("/schema/", `${dir}/`)], {
        encoding: "utf8",
      });
      assert.match(out, /schema: \/usr\/share\/ejabberd\/sql\/pg\.new\.sql/);
      assert.equal(
        readFileSync(join(dir, "pg.new.sql"), "utf8"),
        readFileSync("/usr/share/ejabberd/sql/pg.new.sql", "utf8"),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the Kubernetes layer applies the Job before the IM objects (under mocks)", () => {
  it("gives the IM namespace only role logins, and makes the IM objects wait for the setup group", async () => {
    const config = exampleConfig("aws");
    const plan = await recordProgram(
      () => {
        const provider = new Provider("test-cluster", { kubeconfig: "apiVersion: v1" });
        new KubernetesLayer("k8s", { config, platform: fakePlatformOutputs(config, provider) });
        return {};
      },
      {
        project: "warbler",
        stack: "test",
        region: config.region,
        accountId: "123456789012",
        subscriptionId: "00000000-0000-0000-0000-000000000000",
      },
      [randomMocks],
    );
    const secrets = plan.resources.filter((r) => r.type === "kubernetes:core/v1:Secret").map((r) => r.inputs as any);
    const inNamespace = (ns: string) =>
      secrets
        .filter((s) => s.metadata.namespace === ns)
        .map((s) => s.metadata.name)
        .sort();
    assert.deepEqual(inNamespace(setupNamespace), Object.values(setupSecretNames).sort());
    assert.ok(inNamespace(imNamespace).includes(imSecretNames.uploadDatabase));
    const group = (suffix: string) =>
      plan.resources.find((r) => r.type === "kubernetes:yaml:ConfigGroup" && r.name.endsWith(suffix))!;
    const setup = group("-database-setup");
    const job = plan.resources.find((r) => r.type === "kubernetes:batch/v1:Job")!;
    assert.equal(job.parent, setup.urn, "the Job is in the setup group");
    // The revision part resolved to a hash of the database and the role verifiers, not a placeholder.
    assert.match(job.name, new RegExp(`^${setupNamespace}/im-database-setup-[0-9a-f]{10}-[0-9a-f]{10}$`));
    // Pulumi expands a dependency on a component into its custom resources: the Job among them.
    const waitsFor = group("-im-objects").dependencies;
    assert.ok(waitsFor.includes(setup.urn) || waitsFor.includes(job.urn), "IM objects do not wait for the Job");
  });
});
