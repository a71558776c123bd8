import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { awsMocks } from "../../../components/aws/mocks";
import type { MockContext } from "../../../components/mock-types";
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
