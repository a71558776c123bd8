import type { ConfigIssue } from "../../config/load";
import { NAMESPACE } from "../../config/namespace";
import type { PartialPlatformConfig } from "../../config/schema";

/**
 * What the AWS kit cannot build from a config that the cloud-neutral schema
 * accepts. Returns every problem, so one run reports them all; it also runs
 * when other keys failed, hence the defensive reads.
 */
export function awsConfigIssues(config: PartialPlatformConfig): ConfigIssue[] {
  const caBundle = config.database?.caBundle;
  if (caBundle === undefined) return [];
  return [
    {
      key: `${NAMESPACE}:database.caBundle`,
      value: caBundle,
      message: "is for alicloud only: the aws kit ships its database CA bundle itself",
    },
  ];
}
