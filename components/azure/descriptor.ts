import type { KitDescriptor } from "../contract";

import { AzureKit } from "./kit";
import { azureMocks } from "./mocks";

/** What the cloud-neutral rooms need from the Azure kit. */
export const azureKit: KitDescriptor = {
  cloud: "azure",
  Kit: AzureKit,
  configRules: () => [],
  mocks: azureMocks,
};
