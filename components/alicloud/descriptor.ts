import type { KitDescriptor } from "../contract";
import { alicloudConfigIssues } from "./config-rules";
import { gtmFailover } from "./dns";
import { AlicloudKit } from "./kit";
import { alicloudMocks } from "./mocks";
import { alicloudParity } from "./parity";
import { alicloudReplication } from "./replication";
import { AlicloudVpn } from "./vpn";

/** What the cloud-neutral rooms need from the Alicloud kit. */
export const alicloudKit: KitDescriptor = {
  cloud: "alicloud",
  Kit: AlicloudKit,
  configRules: alicloudConfigIssues,
  mocks: alicloudMocks,
  vpn: (name, args, opts) => new AlicloudVpn(name, args, opts),
  dnsFailover: gtmFailover,
  replication: alicloudReplication,
  parity: alicloudParity,
};
