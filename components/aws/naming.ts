import { fit, type NameRule, type NameSeed, shortHash, slug } from "../../lib/naming";

/**
 * Names AWS sees, within each service's length and character rules.
 * Deterministic from the config name, the stack and (for global names) the
 * region: a short hash of the raw inputs ends every name, so two stacks whose
 * names clean up to the same text still get different names, and S3's
 * global namespace is shared with nobody else's stack of the same name.
 */

export const nameRules = {
  /** S3: 3-63 lowercase letters, digits, hyphens; letter or digit at both ends; reserved prefixes excluded. */
  bucket: { maxLength: 63, pattern: /^(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/ },
  /** EKS: 1-100 letters, digits, hyphens, underscores, starting with a letter or digit. */
  cluster: { maxLength: 100, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/ },
  /** RDS: 1-63 letters, digits, hyphens; starts with a letter; no `--`; no trailing hyphen. */
  database: { maxLength: 63, pattern: /^[a-z](?!.*--)[a-z0-9-]{0,61}[a-z0-9]$/ },
  /** KMS alias: `alias/` then letters, digits, `/_-`; `alias/aws/` is AWS's own. */
  keyAlias: { maxLength: 256, pattern: /^alias\/(?!aws\/)[A-Za-z0-9/_-]+$/ },
} as const satisfies Record<string, NameRule>;

const RESERVED_BUCKET_PREFIX = /^(xn--|sthree-|amzn-s3-demo-)/;

/** `<readable prefix>-<hash>`, the prefix cut so the whole fits `maxLength`. */
function withHash(readable: string, hash: string, maxLength: number): string {
  return fit(slug(readable), hash, maxLength);
}

/** The S3 bucket for uploaded files: globally unique, so the region is hashed in too. */
export function bucketName({ name, stack, region }: NameSeed): string {
  const readable = `${name}-${stack}-files`;
  const safe = RESERVED_BUCKET_PREFIX.test(slug(readable)) ? `files-${readable}` : readable;
  return withHash(safe, shortHash(["bucket", name, stack, region]), nameRules.bucket.maxLength);
}

/** The bucket S3 writes the files bucket's server access logs to; globally unique like it. */
export function accessLogBucketName({ name, stack, region }: NameSeed): string {
  const readable = `${name}-${stack}-access-logs`;
  const safe = RESERVED_BUCKET_PREFIX.test(slug(readable)) ? `logs-${readable}` : readable;
  return withHash(safe, shortHash(["access-logs", name, stack, region]), nameRules.bucket.maxLength);
}

/** The EKS cluster; also names its log group and the autoscaler's discovery tags. */
export function clusterName({ name, stack }: NameSeed): string {
  return withHash(`${name}-${stack}`, shortHash(["cluster", name, stack]), nameRules.cluster.maxLength);
}

/** The RDS instance identifier; must start with a letter. */
export function databaseIdentifier({ name, stack }: NameSeed): string {
  const readable = /^[a-z]/.test(slug(name)) ? `${name}-${stack}-pg` : `pg-${name}-${stack}`;
  return withHash(readable, shortHash(["database", name, stack]), nameRules.database.maxLength);
}

/** The KMS alias of the stack's key. */
export function keyAlias({ name, stack }: NameSeed): string {
  const room = nameRules.keyAlias.maxLength - "alias/".length;
  return `alias/${withHash(`${name}-${stack}`, shortHash(["key", name, stack]), room)}`;
}
