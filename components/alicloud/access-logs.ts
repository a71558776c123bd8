import { boundedName } from "../../lib/naming";
import { nameRules } from "./naming";

/**
 * The access-log bucket of the file bucket, and the RAM role OSS writes the
 * logs as. Pure, so tests read the exact names and grants.
 */

/** Prefix of the log objects in the log bucket. */
export const accessLogPrefix = "oss-access/";

/** The log bucket's name: derived from the file bucket's, which is already unique across accounts. */
export function accessLogBucketName(fileBucket: string): string {
  return boundedName([fileBucket, "logs"], nameRules.ossBucket.maxLength, [fileBucket, "access-logs"]);
}

/** Name of the RAM role and policy OSS uses to write the logs (unique in the account because the bucket name is). */
export function accessLogRoleName(fileBucket: string): string {
  return boundedName([fileBucket, "logging"], nameRules.ramRole.maxLength);
}

/**
 * Logs expire after `days`; a log deleted or overwritten before then stays recoverable as an old version for as long.
 */
export function accessLogLifecycleRules(days: number) {
  return [
    {
      id: "expire-access-logs",
      prefix: accessLogPrefix,
      enabled: true,
      expirations: [{ days }],
      noncurrentVersionExpirations: [{ days }],
      abortMultipartUploads: [{ days: 7 }],
    },
  ];
}

/** What OSS may do as the logging role: add log objects under the prefix, encrypted with the stack key. */
export function accessLogWritePolicy(logBucket: string, keyArn: string): string {
  return JSON.stringify({
    Version: "1",
    Statement: [
      { Effect: "Allow", Action: ["oss:PutObject"], Resource: [`acs:oss:*:*:${logBucket}/${accessLogPrefix}*`] },
      { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"], Resource: [keyArn] },
    ],
  });
}
