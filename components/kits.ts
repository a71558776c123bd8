import type { Cloud } from "../config/clouds";
import { alicloudKit } from "./alicloud/descriptor";
import { awsKit } from "./aws/descriptor";
import { azureKit } from "./azure/descriptor";
import type { KitDescriptor } from "./contract";

/**
 * The registry of kits: the one place that maps a cloud name to its kit.
 * Everything cloud-specific outside components/<cloud>/ is reached through it.
 */
export const kitDescriptors: Record<Cloud, KitDescriptor> = { alicloud: alicloudKit, aws: awsKit, azure: azureKit };

/** The descriptor of `cloud`'s kit. */
export function kitFor(cloud: Cloud): KitDescriptor {
  return kitDescriptors[cloud];
}
