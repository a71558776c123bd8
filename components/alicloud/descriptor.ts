import type { KitDescriptor } from "../contract";
import { alicloudConfigIssues } from "./config-rules";
import { AlicloudKit } from "./kit";
import { alicloudMocks } from "./mocks";

/** What the cloud-neutral rooms need from the Alicloud kit. */
export const alicloudKit: KitDescriptor = {
  cloud: "alicloud",
  Kit: AlicloudKit,
  configRules: alicloudConfigIssues,
  mocks: alicloudMocks,
};
