import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { BucketCredentials, PlatformOutputs } from "../../components/contract";
import { ImServices } from "../../components/kubernetes/im-services";
import type { ProviderMocks } from "../../components/mock-types";
import { randomMocks } from "../../plan/mocks/random";
import { type RecordedProgram, recordProgram } from "../../plan/record";
import { exampleConfig, fakePlatformOutputs } from "./fixtures";

/**
 * What the Kubernetes layer does with the kit's TURN address and static
 * bucket credentials: the same ImServices the stack runs, under mocks, fed
 * Alibaba-flavoured outputs with and without a static key pair.
 */
const ACCESS_KEY_ID = "LTAI5tHandoverTestKeyId";
const ACCESS_KEY_SECRET = "handover-secret-that-must-not-leak-0123456789";
const TURN_IP = "203.0.113.30";
const CLB_ID = "lb-gw8handovertest";
const config = exampleConfig("alicloud");

function platform(provider: Provider, staticCredentials?: BucketCredentials): PlatformOutputs {
  // An Output annotation, as the kits hand over: it must reach the Service resolved.
  const turnAddress = {
    ip: pulumi.output(TURN_IP),
    annotations: {
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": pulumi.output(CLB_ID),
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners": "true",
    },
  };
  return fakePlatformOutputs(config, provider, { turnAddress, staticCredentials });
}

/** A value with Pulumi's secret envelope removed. */
function reveal(value: unknown): unknown {
  const record = value as Record<string, unknown> | null;
  return record !== null && typeof record === "object" && record[specialSigKey] === specialSecretSig
    ? reveal(record.value)
    : value;
}

/** The gateway Secret's data as the engine receives it (the recorder shows only "[secret]"), by Pulumi name. */
const gatewaySecretData = new Map<string, Record<string, string>>();
const captureSecrets: ProviderMocks = {
  resources: {
    "kubernetes:core/v1:Secret": (args) => {
      const inputs = args.inputs as { metadata: { name: string }; stringData: unknown };
      if (inputs.metadata.name === "upload-gateway-credentials")
        gatewaySecretData.set(args.name, reveal(inputs.stringData) as Record<string, string>);
      return {};
    },
  },
  calls: {},
};

let plan: RecordedProgram;
const find = (type: string, name: string, parent: string) => {
  const found = plan.resources.find(
    (r) => r.type === type && r.name === name && r.parent.endsWith(`::${parent}-objects`),
  );
  assert.ok(found, `${type} ${name} under ${parent} was not registered`);
  return found.inputs as any;
};
const envOf = (deployment: any) =>
  Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe("the IM services with the kit's TURN address and bucket credentials", () => {
  before(async () => {
    plan = await recordProgram(
      () => {
        const provider = new Provider("test-cluster", { kubeconfig: "apiVersion: v1" });
        const credentials = {
          accessKeyId: pulumi.secret(ACCESS_KEY_ID),
          secretAccessKey: pulumi.secret(ACCESS_KEY_SECRET),
        };
        new ImServices("keyed", { config, platform: platform(provider, credentials), provider, dependsOn: [] });
        new ImServices("keyless", { config, platform: platform(provider), provider, dependsOn: [] });
        return {};
      },
      { project: "warbler", stack: "test", region: config.region, accountId: "123456789012", subscriptionId: "unused" },
      [randomMocks, captureSecrets],
    );
  });

  it("puts the static key pair into the gateway's Secret, which stays secret in the plan", () => {
    const data = gatewaySecretData.get("keyed-upload-gateway");
    assert.ok(data, "the gateway Secret was not created");
    assert.equal(data.JCLOUDS_IDENTITY, ACCESS_KEY_ID);
    assert.equal(data.JCLOUDS_CREDENTIAL, ACCESS_KEY_SECRET);
    assert.ok(data.S3PROXY_IDENTITY && data.S3PROXY_CREDENTIAL, "the gateway's own signing keys are missing");
    const recorded = plan.resources.find(
      (r) => r.type === "kubernetes:core/v1:Secret" && r.name === "keyed-upload-gateway",
    );
    assert.ok(recorded, "the gateway Secret was not recorded");
    assert.equal(recorded.inputs.stringData, "[secret]");
  });

  it("keeps the key pair out of every other object, and the gateway reads it from the Secret", () => {
    for (const r of plan.resources) {
      const text = JSON.stringify(r.inputs) + JSON.stringify(r.outputs);
      assert.ok(
        !text.includes(ACCESS_KEY_SECRET) && !text.includes(ACCESS_KEY_ID),
        `${r.type} ${r.name} holds the key pair`,
      );
    }
    for (const [name, data] of gatewaySecretData)
      if (name !== "keyed-upload-gateway") assert.ok(!JSON.stringify(data).includes(ACCESS_KEY_SECRET));
    const env = envOf(find("kubernetes:apps/v1:Deployment", "warbler-im/upload-gateway", "keyed"));
    assert.deepEqual(env.JCLOUDS_IDENTITY, {
      secretKeyRef: { name: "upload-gateway-credentials", key: "JCLOUDS_IDENTITY" },
    });
    assert.deepEqual(env.JCLOUDS_CREDENTIAL, {
      secretKeyRef: { name: "upload-gateway-credentials", key: "JCLOUDS_CREDENTIAL" },
    });
  });

  it("rolls the gateway when the key pair changes, through a checksum that is not the key", () => {
    const annotations = find("kubernetes:apps/v1:Deployment", "warbler-im/upload-gateway", "keyed").spec.template
      .metadata.annotations;
    assert.match(annotations["warbler.io/bucket-credentials-checksum"], /^[0-9a-f]{64}$/);
  });

  it(
    "without a static key pair, the gateway Secret holds only " + "the signing keys and s3proxy uses workload identity",
    () => {
      assert.deepEqual(Object.keys(gatewaySecretData.get("keyless-upload-gateway") ?? {}).sort(), [
        "S3PROXY_CREDENTIAL",
        "S3PROXY_IDENTITY",
      ]);
      const gateway = find("kubernetes:apps/v1:Deployment", "warbler-im/upload-gateway", "keyless");
      assert.equal(envOf(gateway).JCLOUDS_IDENTITY, "");
      assert.equal(gateway.spec.template.metadata.annotations, undefined);
    },
  );

  it("binds the TURN Service to the kit's address and has eturnal and ejabberd announce it", () => {
    const service = find("kubernetes:core/v1:Service", "warbler-im/eturnal", "keyed");
    assert.equal(service.metadata.annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id"], CLB_ID);
    assert.equal(
      service.metadata.annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners"],
      "true",
    );
    assert.equal(
      envOf(find("kubernetes:apps/v1:Deployment", "warbler-im/eturnal", "keyed")).ETURNAL_RELAY_IPV4_ADDR,
      TURN_IP,
    );
    const yml = find("kubernetes:core/v1:ConfigMap", "warbler-im/ejabberd-config", "keyed").data["ejabberd.yml"];
    assert.ok(yml.includes(`host: "${TURN_IP}"`), "mod_stun_disco does not announce the TURN address");
  });
});
