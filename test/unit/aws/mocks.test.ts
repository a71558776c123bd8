import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { elbRegion } from "../../../components/aws/dns";
import { awsMocks, NLB_HOSTED_ZONE_IDS } from "../../../components/aws/mocks";
import type { MockContext } from "../../../components/mock-types";
import { regions as cloudRegions } from "../../../config/regions";
import { randomMocks } from "../../../plan/mocks/random";

const ctx: MockContext = {
  project: "warbler",
  stack: "aws",
  region: "eu-central-1",
  accountId: "123456789012",
  subscriptionId: "unused",
};
const args = (type: string, name: string, inputs: Record<string, unknown> = {}) =>
  ({ type, name, inputs, custom: true }) as pulumi.runtime.MockResourceArgs;

test(
  "random mocks return the password and byte encodings as " + "secrets, deterministic and honouring the character sets",
  async () => {
    const make = () =>
      randomMocks.resources["random:index/randomPassword:RandomPassword"](
        args("random:index/randomPassword:RandomPassword", "p", { length: 40, special: false }),
        ctx,
      );
    const state = make().state as Record<string, pulumi.Output<string>>;
    assert.equal(await pulumi.isSecret(state.result), true);
    assert.equal(await pulumi.isSecret(state.bcryptHash), true);
    const value = await new Promise<string>((resolve) => state.result.apply(resolve));
    assert.match(value, /^[A-Za-z0-9]{40}$/);
    const again = await new Promise<string>((resolve) =>
      (make().state as Record<string, pulumi.Output<string>>).result.apply(resolve),
    );
    assert.equal(again, value);
    const bytes = randomMocks.resources["random:index/randomBytes:RandomBytes"](
      args("random:index/randomBytes:RandomBytes", "b", { length: 16 }),
      ctx,
    ).state as Record<string, unknown>;
    assert.equal(await pulumi.isSecret(bytes.hex as pulumi.Output<string>), true);
  },
);

test("aws mocks fabricate ids and ARNs in the real formats, in the stack's region and account", () => {
  const key = awsMocks.resources["aws:kms/key:Key"](args("aws:kms/key:Key", "k"), ctx);
  assert.match(String(key.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(key.state?.arn, `arn:aws:kms:eu-central-1:123456789012:key/${key.id}`);
  assert.match(
    String(awsMocks.resources["aws:ec2/subnet:Subnet"](args("aws:ec2/subnet:Subnet", "s"), ctx).id),
    /^subnet-[0-9a-f]{17}$/,
  );
  const eks = awsMocks.resources["aws:eks/cluster:Cluster"](args("aws:eks/cluster:Cluster", "e", { name: "c1" }), ctx)
    .state as Record<string, unknown>;
  assert.match(String(eks.endpoint), /^https:\/\/[0-9A-F]{32}\.gr7\.eu-central-1\.eks\.amazonaws\.com$/);
  assert.match(JSON.stringify(eks.identities), /https:\/\/oidc\.eks\.eu-central-1\.amazonaws\.com\/id\/[0-9A-F]{32}/);
  const db = awsMocks.resources["aws:rds/instance:Instance"](
    args("aws:rds/instance:Instance", "d", { identifier: "db1", port: 5432 }),
    ctx,
  ).state as Record<string, unknown>;
  assert.match(String(db.address), /^db1\.c[0-9a-f]{11}\.eu-central-1\.rds\.amazonaws\.com$/);
  const who = awsMocks.calls["aws:index/getCallerIdentity:getCallerIdentity"](
    { token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} } as pulumi.runtime.MockCallArgs,
    ctx,
  );
  assert.equal(who.accountId, "123456789012");
});

// An AWS platform stack exports the load balancer controller's NLB host names (a Service's
// status.loadBalancer.ingress[0].hostname), never an IP (https://kubernetes-sigs.github.io/
// aws-load-balancer-controller/latest/guide/service/nlb/).
test("an AWS stack's fabricated StackReference outputs carry NLB host names for its load balancers", () => {
  const out = awsMocks.stackOutputs("aws");
  for (const key of ["imIngressAddress", "imClientAddress", "imTurnAddress"]) {
    const host = String(out[key]);
    assert.match(
      host,
      /^k8s-[a-z0-9]{1,8}-[a-z0-9]{1,8}-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.eu-central-1\.amazonaws\.com$/,
    );
    assert.equal(elbRegion(host), "eu-central-1", key);
  }
});

// The NLB canonical hosted zones of https://docs.aws.amazon.com/general/latest/gr/elb.html; the provider's
// lb.getHostedZoneId answers from the same table.
test("the NLB hosted-zone invoke answers every allowed region with AWS's zone, and refuses the unknown", () => {
  const call = awsMocks.calls["aws:lb/getHostedZoneId:getHostedZoneId"];
  const ask = (inputs: Record<string, unknown>) =>
    call({ token: "aws:lb/getHostedZoneId:getHostedZoneId", inputs } as pulumi.runtime.MockCallArgs, ctx);
  assert.equal(ask({ region: "eu-central-1", loadBalancerType: "network" }).id, "Z3F0SRJ5LGBH90");
  assert.equal(ask({ region: "us-east-1", loadBalancerType: "network" }).id, "Z26RNL4JYFTOTI");
  assert.deepEqual(Object.keys(NLB_HOSTED_ZONE_IDS).sort(), [...cloudRegions.aws].sort());
  assert.throws(() => ask({ region: "eu-central-1" }), /only NLB zones/);
  assert.throws(() => ask({ region: "xx-nowhere-1", loadBalancerType: "network" }), /no Network Load Balancer/);
});

test("the route-table lookup by subnet has no mock: nothing may race a subnet's association again", () => {
  assert.equal(awsMocks.calls["aws:ec2/getRouteTable:getRouteTable"], undefined);
});

// ec2.DefaultSecurityGroup and ec2.DefaultNetworkAcl adopt the group and ACL AWS created with the VPC
// (@pulumi/aws ec2/defaultSecurityGroup.d.ts, ec2/defaultNetworkAcl.d.ts): their ids are the VPC's defaults.
test("the default security group and network ACL resources take the ids of the VPC's defaults", () => {
  const vpc = awsMocks.resources["aws:ec2/vpc:Vpc"](args("aws:ec2/vpc:Vpc", "v"), ctx);
  const state = vpc.state as Record<string, string>;
  const sg = awsMocks.resources["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"](
    args("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "d", { vpcId: vpc.id }),
    ctx,
  );
  assert.equal(sg.id, state.defaultSecurityGroupId);
  assert.match(String(sg.id), /^sg-[0-9a-f]{17}$/);
  const acl = awsMocks.resources["aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"](
    args("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "a", { defaultNetworkAclId: state.defaultNetworkAclId }),
    ctx,
  );
  assert.equal(acl.id, state.defaultNetworkAclId);
  assert.match(String(acl.id), /^acl-[0-9a-f]{17}$/);
});

// vpnConnection.d.ts: tunnel1Address and tunnel2Address are the outside IPs of the connection's two tunnels.
test("aws mocks give a VPN connection two distinct tunnel outside addresses and a vpn- id", () => {
  const vpn = awsMocks.resources["aws:ec2/vpnConnection:VpnConnection"](
    args("aws:ec2/vpnConnection:VpnConnection", "link"),
    ctx,
  );
  assert.match(String(vpn.id), /^vpn-[0-9a-f]{17}$/);
  const state = vpn.state as Record<string, string>;
  assert.match(state.tunnel1Address, /^\d+\.\d+\.\d+\.\d+$/);
  assert.match(state.tunnel2Address, /^\d+\.\d+\.\d+\.\d+$/);
  assert.notEqual(state.tunnel1Address, state.tunnel2Address);
});
