import { Project } from "@pulumi/alicloud/log";
import * as pulumi from "@pulumi/pulumi";

export interface AlicloudLoggingArgs {
  /** SLS project name, unique in the region across accounts (see naming.ts). @default - none, required */
  projectName: pulumi.Input<string>;
  /** Tags for the project. @default - none, required */
  tags: Record<string, string>;
}

/**
 * The Log Service (SLS) project the cluster writes its control-plane logs
 * and API audit log to. Owned by the stack rather than auto-created by ACK,
 * so its name, tags and lifetime are the stack's, and policies can see it.
 */
export class AlicloudLogging extends pulumi.ComponentResource {
  readonly projectName: pulumi.Output<string>;

  constructor(name: string, args: AlicloudLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:Logging", name, {}, opts);
    const project = new Project(
      `${name}-project`,
      { projectName: args.projectName, description: "Warbler ACK control-plane and audit logs", tags: args.tags },
      { parent: this },
    );
    this.projectName = project.projectName;
    this.registerOutputs({ projectName: project.projectName });
  }
}
