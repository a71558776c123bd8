import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity/userAssignedIdentity";
import type { AzurePlacement } from "./placement";
import { roleDefinitionId, type BuiltInRole } from "./roles";

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
