import type { KitDescriptor } from "../contract";
import { awsConfigIssues } from "./config-rules";
import { route53Failover } from "./dns";
import { AwsKit } from "./kit";
import { awsMocks } from "./mocks";
import { awsParity } from "./parity";
import { awsReplication } from "./replication";
import { AwsVpn } from "./vpn";

/** What the cloud-neutral rooms need from the Aws kit. */
export const awsKit: KitDescriptor = {
  cloud: "aws",
  Kit: AwsKit,
  configRules: awsConfigIssues,
  mocks: awsMocks,
  vpn: (name, args, opts) => new AwsVpn(name, args, opts),
  dnsFailover: route53Failover,
  replication: awsReplication,
  parity: awsParity,
};
