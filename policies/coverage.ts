import { reviewedTypes as alicloud } from "./alicloud/reviewedTypes";
import { reviewedTypes as aws } from "./aws/reviewedTypes";
import { reviewedTypes as azure } from "./azure/reviewedTypes";
import { reviewedTypes as kubernetes } from "./kubernetes/reviewedTypes";

/**
 * Resource types the kits and charts create that no policy evaluates, each
 * with the reason a reviewer accepted; each target keeps its own in
 * policies/<target>/reviewedTypes.ts. test/policy/stacks.test.ts plans every
 * example stack and fails on a type that is neither evaluated by a policy nor
 * listed here, so a new resource type cannot slip past review.
 */
export const reviewedTypes: Readonly<Record<string, string>> = {
  ...aws,
  ...azure,
  ...alicloud,
  ...kubernetes,
  "random:index/randomPassword:RandomPassword":
    "Generates the database password inside the stack; it is stored as a Pulumi secret.",
};
