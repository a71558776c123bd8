import { boundedName, type NameRule, type NameSeed } from "../../lib/naming";

/**
 * Names of Alibaba Cloud resources. Every name here uses the strictest
 * character set any of them allows (lowercase letters, digits and single
 * dashes, starting with a letter and ending with a letter or digit: lib/naming.ts
 * boundedName), so one sanitizer serves OSS buckets, SLS projects, RAM roles
 * and policies, KMS aliases, ACK clusters, RDS instances and VPC resources;
 * only the length limit differs.
 */

/** Lowercase letters, digits and dashes, letter first, letter or digit last: within every rule below. */
const STRICT = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
/** OSS buckets and SLS projects: lowercase letters, digits and dashes, letter or digit at both ends. */
const DNS_LABEL = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

/** The rules of the names this kit sets. */
export const nameRules = {
  /** OSS bucket: 3-63 characters, unique across all Alibaba Cloud accounts. */
  ossBucket: { maxLength: 63, pattern: DNS_LABEL },
  /** SLS (Log Service) project: 3-63 characters, unique across all accounts in a region. */
  logProject: { maxLength: 63, pattern: DNS_LABEL },
  /** RAM role: 1-64 characters, unique in the account. */
  ramRole: { maxLength: 64, pattern: STRICT },
  /** RAM policy: 1-128 characters, unique in the account. */
  ramPolicy: { maxLength: 128, pattern: STRICT },
  /** RAM user: 1-64 characters, unique in the account. */
  ramUser: { maxLength: 64, pattern: STRICT },
  /** Classic Load Balancer: up to 80 characters. */
  loadBalancer: { maxLength: 80, pattern: STRICT },
  /** ACK cluster and node pool: 1-63 characters. */
  cluster: { maxLength: 63, pattern: STRICT },
  /** KMS alias, including its `alias/` prefix: up to 255 characters. */
  kmsAlias: { maxLength: 255, pattern: /^alias\/[a-zA-Z0-9:/_-]+$/ },
  /** VPC, vSwitch, NAT gateway, EIP, security group, RDS instance: 2-128 characters. */
  network: { maxLength: 128, pattern: STRICT },
  /** Prefix of an RDS endpoint host name: unique in the region. */
  databaseEndpoint: { maxLength: 40, pattern: STRICT },
} as const satisfies Record<string, NameRule>;

/** The OSS bucket for uploaded files: globally unique, so seeded by name, stack and region. */
export function bucketName({ name, stack, region }: NameSeed): string {
  return boundedName([name, stack, "files"], nameRules.ossBucket.maxLength, [name, stack, region, "files"]);
}

/** The SLS project that holds the cluster's control-plane and audit logs: unique in the region across accounts. */
export function logProjectName({ name, stack, region }: NameSeed): string {
  return boundedName([name, stack, "k8s-logs"], nameRules.logProject.maxLength, [name, stack, region, "k8s-logs"]);
}

/** The KMS alias of the stack's data key; aliases are unique per account and region. */
export function kmsAliasName({ name, stack }: NameSeed): string {
  return `alias/${boundedName([name, stack, "data"], nameRules.kmsAlias.maxLength - "alias/".length)}`;
}

/** The private endpoint prefix of the database (RDS appends its regional domain, mocks.ts), unique in the region. */
export function databaseEndpointPrefix({ name, stack, region }: NameSeed): string {
  return boundedName([name, stack, "pg"], nameRules.databaseEndpoint.maxLength, [name, stack, region, "pg"]);
}

/** A name unique within the account (RAM roles and policies, clusters, network resources), within `rule`. */
export function accountName({ name, stack }: NameSeed, role: string, rule: NameRule): string {
  return boundedName([name, stack, role], rule.maxLength);
}
