import type * as pulumi from "@pulumi/pulumi";
import type { GlobalConfig } from "../../config/global";
import type { DnsProviderFacts, FailoverHost, ImEndpoint } from "./dns-plan";

/** The two sides of a failover pair, as DNS names them. */
export type DnsRole = "primary" | "secondary";

/** One failover host name with the address each side serves it from. */
export interface FailoverPair {
  host: FailoverHost;
  primary: pulumi.Output<string>;
  secondary: pulumi.Output<string>;
}

/** What the cloud-neutral GlobalDns hands a kit's DNS failover provider. */
export interface DnsFailoverArgs {
  /** The GlobalDns's name; every child's name starts with it. */
  name: string;
  /** The validated global stack config. */
  config: GlobalConfig;
  /** Every failover host name with both sides' addresses. */
  pairs: FailoverPair[];
  /** A side's address of an endpoint; health checks probe the `clients` endpoint. */
  address: (role: DnsRole, endpoint: ImEndpoint) => pulumi.Output<string>;
  /** Region of the provider's API calls (`dns.region` or the provider's default). */
  region: string;
  /** Tags for the resources that take them. */
  tags: Record<string, string>;
}

/**
 * Health-checked DNS failover through one cloud's DNS service (Route 53,
 * Traffic Manager, Alibaba Cloud DNS GTM): the provider's facts the neutral
 * plan reads (default region, effective probe interval, probe timeout), and
 * `create`, which makes its provider and records as children of `parent`, the GlobalDns.
 */
export interface DnsFailoverProvider extends DnsProviderFacts {
  create(parent: pulumi.ComponentResource, args: DnsFailoverArgs): void;
}
