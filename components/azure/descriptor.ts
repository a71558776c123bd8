import type { KitDescriptor } from "../contract";
import { azureConfigIssues } from "./config-rules";
import { trafficManagerFailover } from "./dns";
import { AzureKit } from "./kit";
import { azureMocks } from "./mocks";
import { azureParity } from "./parity";
import { azureReplication } from "./replication";
import { AzureVpn } from "./vpn";

/** What the cloud-neutral rooms need from the Azure kit. */
export const azureKit: KitDescriptor = {
  cloud: "azure",
  Kit: AzureKit,
  configRules: azureConfigIssues,
  mocks: azureMocks,
  // Azure's gateways and their public IP are regional resources, created in the stack's region.
  vpn: (name, args, opts) => new AzureVpn(name, { ...args, location: args.region }, opts),
  dnsFailover: trafficManagerFailover,
  replication: azureReplication,
  parity: azureParity,
};
