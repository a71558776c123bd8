import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AlicloudKit } from "../../../components/alicloud/kit";
import { loadBalancerAnnotations } from "../../../components/alicloud/load-balancer";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

/**
 * What the Alibaba kit hands the IM services beyond the RRSA identity: the TURN address, and no static bucket key.
 * The upload service reaches OSS through RRSA (AssumeRoleWithOIDC), so no RAM user or AccessKey exists to leak.
 */
const config = loadConfig(readStackFile("alicloud").config, { cloudRules: kitDescriptors }) as PlatformConfig;
let resources: PlannedResource[] = [];
let outputs: Record<string, unknown> = {};

before(async () => {
  const recorded = await recordProgram(
    () => {
      const o = new AlicloudKit("warbler-alicloud", { config, stack: "alicloud" }).outputs;
      const turn = o.cluster.loadBalancer.turnAddress;
      return {
        turnIp: turn.ip,
        turnAnnotations: pulumi.output(turn.annotations),
        turnZone: turn.zone,
        zones: o.network.zones,
        bucketKeys: Object.keys(o.bucket).sort(),
        identityKind: o.cluster.imIdentity.kind,
      };
    },
    {
      project: "warbler",
      stack: "alicloud",
      region: config.region,
      accountId: "123456789012",
      subscriptionId: "unused",
    },
    providerMocks,
  );
  resources = recorded.resources;
  outputs = recorded.outputs;
});

const one = (type: string) => {
  const found = resources.filter((r) => r.type === `alicloud:${type}`);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0];
};
const standardTagsOf = (r: PlannedResource) => {
  const tags = r.inputs.tags as Record<string, string>;
  assert.equal(tags.owner, config.tags.owner, r.name);
  assert.equal(tags["data-classification"], config.tags.dataClassification, r.name);
  assert.equal(tags["managed-by"], "warbler", r.name);
};

test("the bucket has no key pair: no RAM user or AccessKey holds it, and the contract hands over none", () => {
  // A RAM user exists only for the alidns DNS-01 webhook (warbler:acme.dns01, off in this stack), never for files.
  const userTypes = [
    "alicloud:ram/user:User",
    "alicloud:ram/accessKey:AccessKey",
    "alicloud:ram/userPolicyAttachment:UserPolicyAttachment",
  ];
  assert.deepEqual(
    resources.filter((r) => userTypes.includes(r.type)).map((r) => r.urn),
    [],
  );
  assert.ok(!resources.some((r) => r.type === "warbler:alicloud:BucketCredentials"));
  assert.equal(outputs.identityKind, "rrsa");
  assert.deepEqual(outputs.bucketKeys, ["endpoint", "name", "protocol", "region"]);
});

test("every RAM grant on the bucket or the stack key is attached to a role, never to a user", () => {
  const policies = resources.filter((r) => r.type === "alicloud:ram/policy:Policy");
  const onBucketOrKey = policies
    .filter((p) => /acs:(oss|kms):/.test(String(p.inputs.policyDocument)))
    .map((p) => p.inputs.policyName);
  assert.ok(onBucketOrKey.length > 0, "no policy names the bucket or the key");
  const roleAttached = resources
    .filter((r) => r.type === "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment")
    .map((r) => r.inputs.policyName);
  const userAttached = resources
    .filter((r) => r.type === "alicloud:ram/userPolicyAttachment:UserPolicyAttachment")
    .map((r) => r.inputs.policyName);
  for (const name of onBucketOrKey) {
    assert.ok(roleAttached.includes(name), `${String(name)} is not attached to a role`);
    assert.ok(!userAttached.includes(name), `${String(name)} is attached to a user`);
  }
});

test(
  "TURN gets an Internet-facing CLB of the stack's own, tagged, protected, in two zones, whose address is the " +
    "contract's",
  () => {
    const clb = one("slb/applicationLoadBalancer:ApplicationLoadBalancer");
    assert.equal(clb.inputs.addressType, "internet");
    assert.equal(clb.inputs.addressIpVersion, "ipv4");
    assert.equal(clb.inputs.deleteProtection, "on");
    assert.equal(clb.inputs.modificationProtectionStatus, "ConsoleProtection");
    const zones = outputs.zones as string[];
    assert.equal(clb.inputs.masterZoneId, zones[0]);
    assert.equal(clb.inputs.slaveZoneId, zones[1]);
    standardTagsOf(clb);
    assert.equal(outputs.turnIp, clb.outputs.address);
    assert.equal(outputs.turnZone, undefined, "a two-zone CLB must not pin the TURN pod");
  },
);

test(
  "the TURN annotations bind the Service to that CLB, and the CLB matches what the kit's UDP annotations ask of " +
    "it",
  () => {
    const clb = one("slb/applicationLoadBalancer:ApplicationLoadBalancer");
    assert.deepEqual(outputs.turnAnnotations, {
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": clb.id,
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners": "true",
    });
    const udp = loadBalancerAnnotations(outputs.zones as string[]).udpAnnotations;
    const prefix = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer";
    assert.equal(udp[`${prefix}-address-type`], clb.inputs.addressType);
    assert.equal(udp[`${prefix}-instance-charge-type`], clb.inputs.instanceChargeType);
    assert.equal(udp[`${prefix}-master-zoneid`], clb.inputs.masterZoneId);
    assert.equal(udp[`${prefix}-slave-zoneid`], clb.inputs.slaveZoneId);
    assert.equal(udp[`${prefix}-delete-protection`], clb.inputs.deleteProtection);
    assert.equal(udp[`${prefix}-modification-protection`], clb.inputs.modificationProtectionStatus);
  },
);
