import { ConfigError } from "../../config/load";
import type { PlatformConfig } from "../../config/schema";
import { alicloudConfigIssues } from "./config-rules";

/** Throws one ConfigError listing every problem, or returns when there is none. */
export function assertAlicloudConfig(config: PlatformConfig): void {
  const issues = alicloudConfigIssues(config);
  if (issues.length > 0) throw new ConfigError(issues, "for the alicloud kit");
}
