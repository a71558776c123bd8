import type * as pulumi from "@pulumi/pulumi";
import { kitDescriptors } from "../../components/kits";
import type { MockContext, ProviderMocks } from "../../components/mock-types";
import { fakeId } from "../../lib/fake-id";
import { randomMocks } from "./random";
import { stackReferenceMocks } from "./stack-reference";

export { fakeId };

/**
 * Every provider's mocks. Each cloud's file fabricates realistic outputs for
 * the resource types its kit creates; anything not listed gets its inputs
 * back as state and a deterministic id.
 */
export const providerMocks: ProviderMocks[] = [
  ...Object.values(kitDescriptors).map((kit) => kit.mocks),
  randomMocks,
  stackReferenceMocks,
];

export function createMocks(ctx: MockContext, all: ProviderMocks[] = providerMocks): pulumi.runtime.Mocks {
  const resources = Object.assign({}, ...all.map((p) => p.resources)) as ProviderMocks["resources"];
  const calls = Object.assign({}, ...all.map((p) => p.calls)) as ProviderMocks["calls"];
  return {
    newResource(args) {
      const fabricate = resources[args.type];
      const made = fabricate ? fabricate(args, ctx) : {};
      return {
        id: made.id ?? (args.custom === false ? undefined : fakeId(`${args.name}-`, `${args.type}/${args.name}`, 8)),
        state: { ...args.inputs, ...made.state },
      };
    },
    call(args) {
      const fabricate = calls[args.token];
      if (!fabricate)
        throw new Error(
          `the offline plan has no mock for the invoke '${args.token}'; add one to the kit's mocks.ts ` +
            `(components/<cloud>/mocks.ts) or plan/mocks/`,
        );
      return fabricate(args, ctx);
    },
  };
}
