import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parse } from "yaml";
import type { PlatformOutputs } from "../../components/contract";
import { ImServices } from "../../components/kubernetes/im-services";
import type { ProviderMocks } from "../../components/mock-types";
import { randomMocks } from "../../plan/mocks/random";
import { type RecordedProgram, recordProgram } from "../../plan/record";
import { exampleConfig, fakePlatformOutputs } from "./fixtures";

/**
 * What the Kubernetes layer does with the kit's TURN address and bucket
 * identity: the same ImServices the stack runs, under mocks, fed
 * Alibaba-flavoured outputs. No cloud key pair exists any more: the upload
 * service reaches the bucket with the pod's RRSA identity.
 */
const TURN_IP = "203.0.113.30";
const CLB_ID = "lb-gw8handovertest";
const config = exampleConfig("alicloud");

function platform(provider: Provider): PlatformOutputs {
  // An Output annotation, as the kits hand over: it must reach the Service resolved.
  const turnAddress = {
    ip: pulumi.output(TURN_IP),
    annotations: {
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": pulumi.output(CLB_ID),
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners": "true",
    },
  };
  return fakePlatformOutputs(config, provider, { turnAddress });
}

/** A value with Pulumi's secret envelope removed. */
function reveal(value: unknown): unknown {
  const record = value as Record<string, unknown> | null;
  return record !== null && typeof record === "object" && record[specialSigKey] === specialSecretSig
    ? reveal(record.value)
    : value;
}

/** Each Secret's data as the engine receives it (the recorder shows only "[secret]"), by Kubernetes name. */
const secretData = new Map<string, Record<string, string>>();
const captureSecrets: ProviderMocks = {
  resources: {
    "kubernetes:core/v1:Secret": (args) => {
      const inputs = args.inputs as { metadata: { name: string }; stringData: unknown };
      secretData.set(inputs.metadata.name, reveal(inputs.stringData) as Record<string, string>);
      return {};
    },
  },
  calls: {},
};

let plan: RecordedProgram;
const find = (type: string, name: string) => {
  const found = plan.resources.find((r) => r.type === type && r.name === name && r.parent.endsWith("::im-objects"));
  assert.ok(found, `${type} ${name} was not registered`);
  return found.inputs as any;
};
const envOf = (deployment: any) =>
  Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe("the IM services with the kit's TURN address and bucket identity", () => {
  before(async () => {
    plan = await recordProgram(
      () => {
        const provider = new Provider("test-cluster", { kubeconfig: "apiVersion: v1" });
        new ImServices("im", { config, platform: platform(provider), provider, dependsOn: [] });
        return {};
      },
      { project: "warbler", stack: "test", region: config.region, accountId: "123456789012", subscriptionId: "unused" },
      [randomMocks, captureSecrets],
    );
  });

  it("gives the upload service the slot secret ejabberd signs with, as a file, and no cloud key", () => {
    const data = secretData.get("warbler-upload-secret");
    assert.deepEqual(Object.keys(data ?? {}), ["secret"]);
    const secretsYml = secretData.get("ejabberd-secrets")?.["secrets.yml"] ?? "";
    assert.ok(data?.secret && secretsYml.includes(data.secret), "ejabberd and the service do not share the secret");
    const upload = find("kubernetes:apps/v1:Deployment", "warbler-im/warbler-upload");
    const env = envOf(upload);
    assert.equal(env.WARBLER_UPLOAD_BACKEND, "oss");
    assert.equal(env.WARBLER_UPLOAD_ENDPOINT, "https://s3.oss-eu-central-1-internal.aliyuncs.com");
    for (const r of plan.resources) {
      const text = JSON.stringify(r.inputs);
      assert.ok(!text.includes(data?.secret ?? "<none>"), `${r.type} ${r.name} holds the slot secret`);
    }
    const values = [...secretData.values()].flatMap((d) => Object.keys(d));
    assert.ok(!values.some((k) => /ACCESS_KEY|JCLOUDS|S3PROXY/.test(k)), `a Secret holds a key pair: ${values}`);
  });

  it("binds the RRSA identity to the upload service's ServiceAccount only", () => {
    const upload = find("kubernetes:core/v1:ServiceAccount", "warbler-im/warbler-upload");
    assert.ok(upload.metadata.annotations?.["pod-identity.alibabacloud.com/role-name"]);
    const ejabberd = find("kubernetes:core/v1:ServiceAccount", "warbler-im/ejabberd");
    assert.equal(ejabberd.metadata.annotations, undefined);
    const deployment = find("kubernetes:apps/v1:Deployment", "warbler-im/warbler-upload");
    assert.equal(deployment.spec.template.spec.serviceAccountName, "warbler-upload");
  });

  it("binds the TURN Service to the kit's address and has eturnal and ejabberd announce it", () => {
    const service = find("kubernetes:core/v1:Service", "warbler-im/eturnal");
    assert.equal(service.metadata.annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id"], CLB_ID);
    assert.equal(
      service.metadata.annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners"],
      "true",
    );
    const eturnal = parse(find("kubernetes:core/v1:ConfigMap", "warbler-im/eturnal-config").data["eturnal.yml"]);
    assert.equal(eturnal.eturnal.relay_ipv4_addr, TURN_IP, "eturnal does not announce the TURN address");
    const yml = find("kubernetes:core/v1:ConfigMap", "warbler-im/ejabberd-config").data["ejabberd.yml"];
    assert.ok(yml.includes(`host: "${TURN_IP}"`), "mod_stun_disco does not announce the TURN address");
  });
});
