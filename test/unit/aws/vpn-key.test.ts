import assert from "node:assert/strict";
import { test } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { presharedKeySpec } from "../../../components/failover/vpn-plan";
import type { MockContext } from "../../../components/mock-types";
import { randomMocks } from "../../../plan/mocks/random";

/**
 * AWS Site-to-Site VPN pre-shared keys: 8-64 characters of letters, digits, periods and underscores, and they
 * cannot start with zero (https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html, "Pre-shared key").
 */
const AWS_PSK = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;

const ctx: MockContext = {
  project: "warbler",
  stack: "aws",
  region: "eu-central-1",
  accountId: "1",
  subscriptionId: "",
};

test("the pre-shared key spec draws from letters only, so no key can start with 0", () => {
  assert.equal(presharedKeySpec.numeric, false);
  assert.equal(presharedKeySpec.special, false);
  assert.ok(presharedKeySpec.length >= 8 && presharedKeySpec.length <= 64);
});

test("2,000 keys generated from the spec all pass AWS's pre-shared key rule", async () => {
  const make = randomMocks.resources["random:index/randomPassword:RandomPassword"];
  const keys = await Promise.all(
    Array.from({ length: 2000 }, (_, i) => {
      const state = make(
        {
          type: "random:index/randomPassword:RandomPassword",
          name: `psk-${i}`,
          inputs: { ...presharedKeySpec },
          custom: true,
        },
        ctx,
      ).state as { result: pulumi.Output<string> };
      return new Promise<string>((resolve) => state.result.apply(resolve));
    }),
  );
  for (const key of keys) assert.match(key, AWS_PSK);
  // With digits allowed, about 1 in 62 of these would start with 0: the rule above would then fail ~32 of them.
  const withDigits = await Promise.all(
    Array.from({ length: 2000 }, (_, i) => {
      const state = make(
        {
          type: "random:index/randomPassword:RandomPassword",
          name: `psk-${i}`,
          inputs: { ...presharedKeySpec, numeric: true },
          custom: true,
        },
        ctx,
      ).state as { result: pulumi.Output<string> };
      return new Promise<string>((resolve) => state.result.apply(resolve));
    }),
  );
  assert.ok(
    withDigits.some((key) => key.startsWith("0")),
    "the mock can produce a leading 0 when digits are allowed",
  );
});
