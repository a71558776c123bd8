import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting";
import { Table } from "@pulumi/azure-native/operationalinsights/table";
import { Workspace } from "@pulumi/azure-native/operationalinsights/workspace";
import * as pulumi from "@pulumi/pulumi";
import type { AzurePlacement } from "./placement";

/** AKS control-plane log categories that record who did what to the API. */
export const auditCategories = ["kube-audit", "kube-audit-admin", "kube-apiserver"] as const;

/** The resource-specific tables those categories land in (destination type "Dedicated"). */
export const auditTables = ["AKSAudit", "AKSAuditAdmin", "AKSControlPlane"] as const;

/** Interactive retention Log Analytics allows; beyond it, tables keep data as long-term retention. */
const MAX_INTERACTIVE_DAYS = 730;

export interface AzureAuditLogArgs extends AzurePlacement {
  /** Resource id of the AKS cluster. @default - none, required */
  clusterId: pulumi.Input<string>;
  /** Log Analytics workspace name. @default - none, required */
  workspaceName: string;
  /** Days the audit log is kept (config cluster.auditLogRetentionDays). @default 365 */
  retentionDays?: number;
}

/**
 * Control-plane audit logs to a Log Analytics workspace. Retention is set on
 * the workspace and, so that more than two years can be kept, as total
 * retention on each audit table.
 */
export class AzureAuditLog extends pulumi.ComponentResource {
  readonly workspaceId: pulumi.Output<string>;

  constructor(name: string, args: AzureAuditLogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:AuditLog", name, {}, opts);
    const days = args.retentionDays ?? 365;
    const workspace = new Workspace(
      `${name}-workspace`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        workspaceName: args.workspaceName,
        tags: args.tags,
        sku: { name: "PerGB2018" },
        retentionInDays: Math.min(days, MAX_INTERACTIVE_DAYS),
      },
      { parent: this },
    );
    for (const table of auditTables) {
      new Table(
        `${name}-${table}`,
        {
          resourceGroupName: args.resourceGroupName,
          workspaceName: workspace.name,
          tableName: table,
          retentionInDays: Math.min(days, MAX_INTERACTIVE_DAYS),
          totalRetentionInDays: days,
        },
        { parent: this },
      );
    }
    new DiagnosticSetting(
      `${name}-diagnostics`,
      {
        name: "warbler-audit",
        resourceUri: args.clusterId,
        workspaceId: workspace.id,
        logAnalyticsDestinationType: "Dedicated",
        logs: auditCategories.map((category) => ({ category, enabled: true })),
      },
      { parent: this },
    );
    this.workspaceId = workspace.id;
    this.registerOutputs({ workspaceId: this.workspaceId });
  }
}
