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

/** What the Alibaba kit hands the IM services beyond the RRSA identity: the TURN address and the gateway's key pair. */
const config = loadConfig(readStackFile("alicloud").config, { cloudRules: kitDescriptors }) as PlatformConfig;
let resources: PlannedResource[] = [];
let outputs: Record<string, unknown> = {};

before(async () => {
  const recorded = await recordProgram(
    () => {
      const o = new AlicloudKit("warbler-alicloud", { config, stack: "alicloud" }).outputs;
      const turn = o.cluster.loadBalancer.turnAddress;
      const credentials = o.bucket.staticCredentials;
      return {
        turnIp: turn.ip,
        turnAnnotations: pulumi.output(turn.annotations),
        turnZone: turn.zone,
        zones: o.network.zones,
        bucket: o.bucket.name,
        keyId: o.key.id,
        hasCredentials: credentials !== undefined,
        accessKeyId: credentials?.accessKeyId,
        secretAccessKey: credentials?.secretAccessKey,
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
const gatewayPolicy = () => {
  const found = resources.find(
    (r) => r.type === "alicloud:ram/policy:Policy" && r.name === "warbler-alicloud-gateway-credentials-policy",
  );
  assert.ok(found, "no upload gateway policy");
  return found;
};
interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
}
const statements = () =>
  (JSON.parse(String(gatewayPolicy().inputs.policyDocument)) as { Statement: Statement[] }).Statement;
const standardTagsOf = (r: PlannedResource) => {
  const tags = r.inputs.tags as Record<string, string>;
  assert.equal(tags.owner, config.tags.owner, r.name);
  assert.equal(tags["data-classification"], config.tags.dataClassification, r.name);
  assert.equal(tags["managed-by"], "warbler", r.name);
};

test(
  "the gateway's RAM policy allows only object operations on " + "the kit's bucket and SSE-KMS with the stack key",
  () => {
    const bucket = String(outputs.bucket);
    const keyArn = `acs:kms:${config.region}:*:key/${outputs.keyId}`;
    assert.deepEqual(statements(), [
      {
        Effect: "Allow",
        Action: ["oss:GetObject", "oss:PutObject", "oss:DeleteObject", "oss:AbortMultipartUpload", "oss:ListParts"],
        Resource: [`acs:oss:*:*:${bucket}/*`],
      },
      {
        Effect: "Allow",
        Action: ["oss:ListObjects", "oss:GetBucketInfo", "oss:GetBucketLocation"],
        Resource: [`acs:oss:*:*:${bucket}`],
      },
      { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [keyArn] },
    ]);
    for (const s of statements()) {
      assert.ok(!s.Resource.includes("*"), "a statement grants every resource");
      assert.ok(
        s.Action.every((a) => !a.includes("*")),
        "a statement grants a wildcard action",
      );
    }
  },
);

test(
  "the policy is attached, as a custom policy, to the gateway's user alone, and the access key belongs to that " +
    "user",
  () => {
    const user = one("ram/user:User");
    const attachment = one("ram/userPolicyAttachment:UserPolicyAttachment");
    assert.equal(attachment.inputs.userName, user.inputs.name);
    assert.equal(attachment.inputs.policyName, gatewayPolicy().inputs.policyName);
    assert.equal(attachment.inputs.policyType, "Custom");
    const key = one("ram/accessKey:AccessKey");
    assert.equal(key.inputs.userName, user.inputs.name);
    assert.equal(key.inputs.status, "Active");
    assert.ok(key.dependencies.includes(attachment.urn), "the key may exist before its grant");
    assert.ok(
      !resources.some(
        (r) =>
          r.type === "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment" &&
          r.inputs.policyName === gatewayPolicy().inputs.policyName,
      ),
    );
    standardTagsOf(user);
    standardTagsOf(gatewayPolicy());
  },
);

test("the access key's secret is a secret in the plan, and the contract hands over both halves as secrets", () => {
  assert.equal(one("ram/accessKey:AccessKey").outputs.secret, "[secret]");
  assert.equal(outputs.hasCredentials, true);
  assert.equal(outputs.accessKeyId, "[secret]");
  assert.equal(outputs.secretAccessKey, "[secret]");
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
