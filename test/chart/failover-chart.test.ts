import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { fileSyncCronJob, fileSyncEgress } from "../../charts/failover/file-sync";
import {
  failoverNamespace,
  replicationCredentials,
  replicationEgress,
  replicationNamespace,
  replicationScripts,
  replicationSetupJob,
} from "../../charts/failover/replication";

type Manifest = Record<string, any>;
type ModelClass = new (data: any) => { validate(): void };

const models: Record<string, ModelClass> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "batch/v1/Job": Job,
  "batch/v1/CronJob": CronJob,
};

function validate(object: Manifest): void {
  const Model = models[`${object.apiVersion}/${object.kind}`];
  assert.ok(Model, `no schema for ${object.apiVersion} ${object.kind}: every failover object must be validated`);
  const { apiVersion: _a, kind: _k, ...data } = object;
  new Model(data).validate();
}

const labels = {
  owner: "platform-team",
  "data-classification": "confidential",
  "app.kubernetes.io/part-of": "warbler",
};
const objects = { namespace: failoverNamespace, labels };
const job: Manifest = replicationSetupJob({
  ...objects,
  image: "docker.io/library/postgres:16.10-alpine",
  primaryConn: "host=10.30.1.5 port=5432 dbname=ejabberd sslmode=require",
  standbyConn: "host=10.20.1.5 port=5432 dbname=ejabberd user=warbler_admin sslmode=require",
  scriptHash: "3f368bf41425",
  scripts: "warbler-failover-replication-sql-1a2b3c",
  credentials: "warbler-failover-replication-credentials-4d5e6f",
});
const cronJob: Manifest = fileSyncCronJob({
  namespace: "warbler-im",
  labels,
  schedule: "*/15 * * * *",
  image: "docker.io/rclone/rclone:1.71.1",
  serviceAccount: "warbler-upload",
  identityPodLabels: { "azure.workload.identity/use": "true" },
  args: ["copy", "SRC:warbler-aws-files", "DST:files"],
  remotes: { RCLONE_CONFIG_SRC_TYPE: "s3", RCLONE_CONFIG_DST_TYPE: "azureblob" },
  secretKeys: ["RCLONE_CONFIG_SRC_ACCESS_KEY_ID", "RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY"],
  keysSecret: "warbler-file-sync-source",
});
const all = [
  replicationNamespace(labels),
  replicationScripts({ ...objects, scripts: { "primary.sql": "SELECT 1;\n", "standby.sql": "SELECT 1;\n" } }),
  replicationCredentials(objects),
  replicationEgress({ ...objects, databaseCidrs: ["10.30.0.0/16", "10.20.0.0/16"] }),
  job,
  fileSyncEgress({ namespace: "warbler-im", labels }),
  cronJob,
] as Manifest[];
const pods = [job.spec, cronJob.spec.jobTemplate.spec].map((spec: Manifest) => spec.template.spec);

describe("the failover chart (charts/failover/)", () => {
  it("validates every object against the Kubernetes schemas", () => {
    assert.deepEqual(
      all.map((o) => o.kind),
      ["Namespace", "ConfigMap", "Secret", "NetworkPolicy", "Job", "NetworkPolicy", "CronJob"],
    );
    for (const object of all) validate(object);
  });

  it("names only the namespace: Pulumi names the rest, so a changed Job is created before the old one goes", () => {
    const [namespace, ...rest] = all;
    assert.equal(namespace.metadata.name, failoverNamespace);
    for (const object of rest) assert.equal(object.metadata.name, undefined, `${object.kind} has a name`);
  });

  it("runs the replication namespace at Pod Security restricted; every object has owner and classification", () => {
    const namespace = all[0];
    assert.equal(namespace.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    for (const object of all) {
      assert.equal(object.metadata.labels.owner, "platform-team", object.kind);
      assert.equal(object.metadata.labels["data-classification"], "confidential", object.kind);
    }
  });

  it("hardens both pods: non-root, RuntimeDefault seccomp, read-only root, no escalation, no capabilities", () => {
    for (const pod of pods) {
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
      for (const container of pod.containers) {
        assert.equal(container.securityContext.readOnlyRootFilesystem, true, container.name);
        assert.equal(container.securityContext.allowPrivilegeEscalation, false, container.name);
        assert.deepEqual(container.securityContext.capabilities, { drop: ["ALL"] }, container.name);
        assert.ok(container.resources.requests.memory && container.resources.limits.memory, container.name);
      }
    }
    assert.equal(pods[0].automountServiceAccountToken, false, "the Job needs no API token");
  });

  it("lets the Job reach only PostgreSQL in both networks and DNS, and the copy only HTTPS and DNS", () => {
    const egress = (policy: Manifest) =>
      policy.spec.egress.map((rule: Manifest) => ({
        to: (rule.to ?? []).map((peer: Manifest) => peer.ipBlock.cidr),
        ports: rule.ports.map((p: Manifest) => `${p.protocol}/${p.port}`),
      }));
    const [replication, files] = all.filter((o) => o.kind === "NetworkPolicy");
    assert.deepEqual(egress(replication), [
      { to: ["10.30.0.0/16", "10.20.0.0/16"], ports: ["TCP/5432"] },
      { to: [], ports: ["UDP/53", "TCP/53"] },
    ]);
    assert.deepEqual(egress(files), [
      { to: [], ports: ["TCP/443"] },
      { to: [], ports: ["UDP/53", "TCP/53"] },
    ]);
    assert.deepEqual(replication.spec.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(replication.spec.podSelector.matchLabels, {
      "app.kubernetes.io/name": "warbler-replication-setup",
    });
    assert.equal(job.metadata.labels["app.kubernetes.io/name"], "warbler-replication-setup");
    assert.equal(cronJob.metadata.labels["app.kubernetes.io/name"], "warbler-file-sync");
  });

  it("passes passwords to psql from the Secret, never in the scripts, and reruns the Job when a script changes", () => {
    const container = pods[0].containers[0];
    assert.deepEqual(container.envFrom, [{ secretRef: { name: "warbler-failover-replication-credentials-4d5e6f" } }]);
    assert.deepEqual(pods[0].volumes, [
      { name: "sql", configMap: { name: "warbler-failover-replication-sql-1a2b3c" } },
    ]);
    assert.match(
      container.args[0],
      /psql -X -v replication_password="\$REPLICATION_PASSWORD" "\$PRIMARY_CONN user=\$PRIMARY_USER"/,
    );
    assert.equal(job.metadata.annotations["warbler.io/script-sha256"], "3f368bf41425");
    assert.equal(all[2].data, undefined, "the chart holds no secret value");
  });

  it("runs the copy as the IM workload's identity, with its pod labels, keys only from the scoped Secret", () => {
    const pod = pods[1];
    assert.equal(pod.serviceAccountName, "warbler-upload");
    assert.equal(cronJob.spec.jobTemplate.spec.template.metadata.labels["azure.workload.identity/use"], "true");
    const env = pod.containers[0].env as Manifest[];
    assert.deepEqual(
      env.filter((e) => e.valueFrom).map((e) => [e.name, e.valueFrom.secretKeyRef.name]),
      [
        ["RCLONE_CONFIG_SRC_ACCESS_KEY_ID", "warbler-file-sync-source"],
        ["RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY", "warbler-file-sync-source"],
      ],
    );
    assert.equal(env.find((e) => e.name === "HOME")?.value, "/tmp");
    assert.equal(cronJob.spec.concurrencyPolicy, "Forbid");
    assert.equal(cronJob.spec.timeZone, "Etc/UTC");
  });
});
