import type { KitDescriptor } from "../contract";

import { AwsKit } from "./kit";
import { awsMocks } from "./mocks";

/** What the cloud-neutral rooms need from the Aws kit. */
export const awsKit: KitDescriptor = {
  cloud: "aws",
  Kit: AwsKit,
  configRules: () => [],
  mocks: awsMocks,
};
