import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { FederatedIdentityCredential } from "@pulumi/azure-native/managedidentity/federatedIdentityCredential";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity/userAssignedIdentity";
import * as pulumi from "@pulumi/pulumi";
import { certManagerWorkload, imWorkload, type WorkloadIdentity } from "../contract";
import { type BuiltInRole, roleDefinitionId } from "./permissions";
import type { AzurePlacement } from "./placement";

/** One role an identity holds, on the narrowest scope that works. */
export interface RoleGrant {
  /** Suffix of the role assignment's Pulumi name; unique within the identity. */
  name: string;
  role: BuiltInRole;
  /** ARM id of the scope: a key, a vault, a subnet, a container. */
  scope: pulumi.Input<string>;
}

export interface AzureIdentityArgs extends AzurePlacement {
  /** Subscription of the role definitions. @default - none, required */
  subscriptionId: pulumi.Input<string>;
  /** Roles to grant. @default [] */
  grants?: RoleGrant[];
}

/**
 * A user-assigned managed identity with its role assignments. User-assigned,
 * not system-assigned: the grants must exist before the resource that uses
 * the identity is created (AKS KMS, a CMK-encrypted server or account).
 */
export class AzureIdentity extends pulumi.ComponentResource {
  readonly id: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;
  readonly clientId: pulumi.Output<string>;
  /** The role assignments; depend on them before using the identity. */
  readonly grants: RoleAssignment[];

  constructor(name: string, args: AzureIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Identity", name, {}, opts);
    const identity = new UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags },
      { parent: this },
    );
    this.grants = (args.grants ?? []).map(
      (grant) =>
        new RoleAssignment(
          `${name}-${grant.name}`,
          {
            principalId: identity.principalId,
            // Skips the directory lookup that fails while a new identity is still replicating.
            principalType: "ServicePrincipal",
            roleDefinitionId: roleDefinitionId(args.subscriptionId, grant.role),
            scope: grant.scope,
          },
          { parent: this },
        ),
    );
    this.id = identity.id;
    this.name = identity.name;
    this.principalId = identity.principalId;
    this.clientId = identity.clientId;
    this.registerOutputs({ id: this.id, principalId: this.principalId, clientId: this.clientId });
  }
}

/** The ServiceAccount subject Kubernetes puts in the tokens of the IM workload. */
export const imSubject = `system:serviceaccount:${imWorkload.namespace}:${imWorkload.serviceAccount}`;

export interface AzureWorkloadIdentityArgs extends AzurePlacement {
  /** The cluster's OIDC issuer URL. @default - none, required */
  issuerUrl: pulumi.Input<string>;
  /** Subscription of the role definitions. @default - none, required */
  subscriptionId: pulumi.Input<string>;
  /** Entra tenant, for the ServiceAccount annotation. @default - none, required */
  tenantId: pulumi.Input<string>;
  /** Resource id of the upload container: Storage Blob Data Contributor there only. @default - none, required */
  containerId: pulumi.Input<string>;
}

/**
 * Azure AD workload identity for the IM workload: a user-assigned identity
 * that trusts exactly the upload service's ServiceAccount (`imWorkload`) on
 * this cluster, with data access to the upload container, nothing else. No role on the key: the storage account
 * encrypts with it through its own identity, and no IM workload calls Key Vault.
 */
export class AzureWorkloadIdentity extends pulumi.ComponentResource {
  readonly outputs: WorkloadIdentity;
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: AzureWorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:WorkloadIdentity", name, {}, opts);
    const identity = new AzureIdentity(
      `${name}-im`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        subscriptionId: args.subscriptionId,
        grants: [{ name: "uploads", role: "storageBlobDataContributor", scope: args.containerId }],
      },
      { parent: this },
    );
    this.clientId = identity.clientId;
    this.outputs = federate(this, name, identity, { ...args, subject: imSubject });
    this.registerOutputs({ clientId: this.clientId });
  }
}

export interface AzureDns01IdentityArgs extends AzurePlacement {
  /** The cluster's OIDC issuer URL. @default - none, required */
  issuerUrl: pulumi.Input<string>;
  /** Entra tenant, for the ServiceAccount annotation. @default - none, required */
  tenantId: pulumi.Input<string>;
  /** Subscription of the DNS zone (and of the role definition). @default - none, required */
  zoneSubscriptionId: string;
  /** ARM id of the DNS zone: DNS Zone Contributor there only. @default - none, required */
  zoneId: string;
}

/** The ServiceAccount subject of cert-manager's controller. */
export const certManagerSubject = [
  "system:serviceaccount",
  certManagerWorkload.namespace,
  certManagerWorkload.serviceAccount,
].join(":");

/**
 * Azure AD workload identity for cert-manager's DNS-01 solver: a user-assigned identity trusting only
 * cert-manager's ServiceAccount on this cluster, with DNS Zone Contributor on the one zone.
 */
export class AzureDns01Identity extends pulumi.ComponentResource {
  readonly outputs: WorkloadIdentity;
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: AzureDns01IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Dns01Identity", name, {}, opts);
    const identity = new AzureIdentity(
      `${name}-dns`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        subscriptionId: args.zoneSubscriptionId,
        grants: [{ name: "zone", role: "dnsZoneContributor", scope: args.zoneId }],
      },
      { parent: this },
    );
    this.clientId = identity.clientId;
    this.outputs = federate(this, name, identity, { ...args, subject: certManagerSubject });
    this.registerOutputs({ clientId: this.clientId });
  }
}

/**
 * Lets one ServiceAccount of this cluster act as `identity` (a federated credential on the cluster's issuer), and
 * returns what its pods need: the annotations and the label the AKS workload identity webhook reads
 * (https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview).
 */
function federate(
  parent: pulumi.Resource,
  name: string,
  identity: AzureIdentity,
  args: {
    resourceGroupName: pulumi.Input<string>;
    issuerUrl: pulumi.Input<string>;
    tenantId: pulumi.Input<string>;
    subject: string;
  },
): WorkloadIdentity {
  new FederatedIdentityCredential(
    `${name}-federation`,
    {
      resourceGroupName: args.resourceGroupName,
      resourceName: identity.name,
      issuer: args.issuerUrl,
      subject: args.subject,
      audiences: ["api://AzureADTokenExchange"],
    },
    { parent },
  );
  return {
    kind: "azure-workload-identity",
    serviceAccountAnnotations: {
      "azure.workload.identity/client-id": identity.clientId,
      "azure.workload.identity/tenant-id": pulumi.output(args.tenantId),
    },
    podLabels: { "azure.workload.identity/use": "true" },
    namespaceLabels: {},
  };
}
