import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment";
import { PublicIPAddress } from "@pulumi/azure-native/network/publicIPAddress";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup";
import * as pulumi from "@pulumi/pulumi";
import type { TurnAddress } from "../contract";
import { roleDefinitionId } from "./permissions";

export interface AzureTurnAddressArgs {
  /** Name of the resource group created for the address alone. @default - none, required */
  resourceGroupName: string;
  /** The stack's region. @default - none, required */
  location: string;
  /** Zones the address is served from (all of the stack's zones: zone-redundant). @default - none, required */
  zones: string[];
  /** Subscription of the role definitions. @default - none, required */
  subscriptionId: pulumi.Input<string>;
  /**
   * Principal of the AKS control-plane identity, which binds the load balancer to the address.
   * @default - none, required
   */
  clusterPrincipalId: pulumi.Input<string>;
  /** Tags for the resource group and the address. @default {} */
  tags?: Record<string, string>;
}

/** Name of the public IP inside its own resource group. */
export const turnPublicIpName = "turn";

/**
 * AKS cloud-provider annotations that put a LoadBalancer Service on an existing public IP in another resource group.
 */
export function turnAddressAnnotations(
  publicIpName: pulumi.Input<string>,
  resourceGroupName: pulumi.Input<string>,
): Record<string, pulumi.Output<string>> {
  return {
    "service.beta.kubernetes.io/azure-pip-name": pulumi.output(publicIpName),
    "service.beta.kubernetes.io/azure-load-balancer-resource-group": pulumi.output(resourceGroupName),
  };
}

/**
 * A static, zone-redundant Standard public IPv4 address for TURN. AKS binds
 * a Service to an address outside its node resource group only when the
 * control-plane identity holds Network Contributor on the address's resource
 * group; that group holds this address alone, so the grant reaches nothing else.
 */
export class AzureTurnAddress extends pulumi.ComponentResource {
  readonly outputs: TurnAddress;

  constructor(name: string, args: AzureTurnAddressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:TurnAddress", name, {}, opts);
    const tags = args.tags ?? {};
    const group = new ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: args.resourceGroupName, location: args.location, tags },
      { parent: this },
    );
    const ip = new PublicIPAddress(
      `${name}-ip`,
      {
        resourceGroupName: group.name,
        publicIpAddressName: turnPublicIpName,
        location: args.location,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        zones: args.zones,
        tags,
      },
      { parent: this },
    );
    const grant = new RoleAssignment(
      `${name}-network`,
      {
        principalId: args.clusterPrincipalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinitionId(args.subscriptionId, "networkContributor"),
        scope: group.id,
      },
      { parent: this },
    );
    // The Service must not reach the cloud provider before the grant does: carry the grant as a dependency of the group
    // name.
    const groupAfterGrant = pulumi.all([group.name, grant.id]).apply(([groupName]) => groupName);
    this.outputs = {
      ip: ip.ipAddress.apply((address) => {
        if (!address) throw new Error(`AzureTurnAddress '${name}': the static public IP has no address`);
        return address;
      }),
      annotations: turnAddressAnnotations(ip.name, groupAfterGrant),
    };
    this.registerOutputs({ ip: this.outputs.ip, resourceGroupName: group.name });
  }
}
