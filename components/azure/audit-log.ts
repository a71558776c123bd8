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

/**
 * What a resource sends to the workspace. Key Vault, Storage (per service: blob) and PostgreSQL flexible server
 * offer the category groups `audit` and `allLogs`
 * (https://learn.microsoft.com/en-us/azure/azure-monitor/platform/resource-logs-categories).
 */
export interface LogSelection {
  /** Log categories by name (AKS's control-plane logs). @default [] */
  categories?: readonly string[];
  /** Log category groups. @default [] */
  categoryGroups?: readonly string[];
  /** Resource-specific tables instead of AzureDiagnostics. @default false */
  dedicated?: boolean;
}

/** What the kit sends: each service's resource logs, all of them, so access to keys, files and data is recorded. */
export const serviceLogs = {
  keyVault: { categoryGroups: ["allLogs"] },
  blobService: { categoryGroups: ["allLogs"] },
  postgres: { categoryGroups: ["allLogs"] },
} as const satisfies Record<string, LogSelection>;

export interface AzureAuditLogArgs extends AzurePlacement {
  /** Log Analytics workspace name. @default - none, required */
  workspaceName: string;
  /** Days the audit log is kept (config cluster.auditLogRetentionDays). @default 365 */
  retentionDays?: number;
}

/**
 * The Log Analytics workspace that keeps the control-plane audit log and the Key Vault, Storage and PostgreSQL
 * resource logs (`sendLogs`), and that Defender reports to. Retention is set on the workspace and, so that more than
 * two years can be kept, as total retention on each audit table.
 */
export class AzureAuditLog extends pulumi.ComponentResource {
  readonly workspaceId: pulumi.Output<string>;
  private readonly logName: string;

  constructor(name: string, args: AzureAuditLogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:AuditLog", name, {}, opts);
    this.logName = name;
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
    this.workspaceId = workspace.id;
    this.registerOutputs({ workspaceId: this.workspaceId });
  }

  /** A diagnostic setting `<name>-<suffix>` that sends `resourceUri`'s logs to the workspace. */
  sendLogs(suffix: string, resourceUri: pulumi.Input<string>, logs: LogSelection): DiagnosticSetting {
    return new DiagnosticSetting(
      `${this.logName}-${suffix}`,
      {
        name: "warbler-audit",
        resourceUri,
        workspaceId: this.workspaceId,
        ...(logs.dedicated ? { logAnalyticsDestinationType: "Dedicated" } : {}),
        logs: [
          ...(logs.categories ?? []).map((category) => ({ category, enabled: true })),
          ...(logs.categoryGroups ?? []).map((categoryGroup) => ({ categoryGroup, enabled: true })),
        ],
      },
      { parent: this },
    );
  }
}
