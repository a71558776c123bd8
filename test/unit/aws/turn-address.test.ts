import assert from "node:assert/strict";
import { before, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AwsKit } from "../../../components/aws/kit";
import { kitDescriptors } from "../../../components/kits";
import { loadConfig } from "../../../config/load";
import type { PlatformConfig } from "../../../config/schema";
import { readStackFile } from "../../../config/stack-file";
import { providerMocks } from "../../../plan/mocks";
import { type PlannedResource, recordProgram } from "../../../plan/record";

const config = loadConfig(readStackFile("aws").config, { cloudRules: kitDescriptors }) as PlatformConfig;
let resources: PlannedResource[] = [];
let outputs: Record<string, unknown> = {};

before(async () => {
  const recorded = await recordProgram(
    () => {
      const o = new AwsKit("warbler-aws", { config, stack: "aws" }).outputs;
      const turn = o.cluster.loadBalancer.turnAddress;
      return {
        ip: turn.ip,
        annotations: pulumi.output(turn.annotations),
        zone: turn.zone,
        zones: o.network.zones,
        publicSubnetIds: pulumi.all(o.network.publicSubnetIds),
        udpAnnotations: o.cluster.loadBalancer.udpAnnotations,
      };
    },
    { project: "warbler", stack: "aws", region: config.region, accountId: "123456789012", subscriptionId: "unused" },
    providerMocks,
  );
  resources = recorded.resources;
  outputs = recorded.outputs;
});

const turnEips = () =>
  resources.filter((r) => r.type === "aws:ec2/eip:Eip" && r.name.startsWith("warbler-aws-turn-address"));

test("the kit allocates exactly one VPC Elastic IP for TURN, tagged like every resource", () => {
  const eips = turnEips();
  assert.equal(eips.length, 1);
  const eip = eips[0];
  assert.equal(eip.inputs.domain, "vpc");
  const tags = eip.inputs.tags as Record<string, string>;
  assert.equal(tags.owner, config.tags.owner);
  assert.equal(tags["data-classification"], config.tags.dataClassification);
  assert.equal(tags["managed-by"], "warbler");
  assert.equal(tags.Name, `warbler-aws-turn-address-${(outputs.zones as string[])[0]}`);
});

test("the contract's TURN address is that Elastic IP's public address", () => {
  assert.equal(outputs.ip, turnEips()[0].outputs.publicIp);
  assert.match(String(outputs.ip), /^\d+\.\d+\.\d+\.\d+$/);
});

test(
  "the TURN NLB is confined to the first zone's public subnet " + "with that one allocation, and the pod to that zone",
  () => {
    const annotations = outputs.annotations as Record<string, string>;
    const publicSubnetIds = outputs.publicSubnetIds as string[];
    assert.deepEqual(annotations, {
      "service.beta.kubernetes.io/aws-load-balancer-subnets": publicSubnetIds[0],
      "service.beta.kubernetes.io/aws-load-balancer-eip-allocations": turnEips()[0].outputs.allocationId,
      // NLBs cannot health-check over UDP, and the UDP ports have no TCP listener: check eturnal's TCP socket
      // (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroup.html,
      // HealthCheckProtocol: "UDP ... not supported for health checks"; default port: traffic-port).
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "tcp",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "5349",
    });
    assert.equal(outputs.zone, (outputs.zones as string[])[0]);
    const subnet = resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && r.id === publicSubnetIds[0]);
    assert.equal(subnet?.inputs.availabilityZone, outputs.zone, "the subnet and the pinned zone differ");
    // The address annotations only add to the NLB ones: TURN stays internet-facing with pod-IP targets.
    assert.equal(
      (outputs.udpAnnotations as Record<string, string>)["service.beta.kubernetes.io/aws-load-balancer-scheme"],
      "internet-facing",
    );
  },
);
