import { PrivateDnsZoneGroup } from "@pulumi/azure-native/network/privateDnsZoneGroup";
import { PrivateEndpoint } from "@pulumi/azure-native/network/privateEndpoint";
import { PrivateZone } from "@pulumi/azure-native/privatedns/privateZone";
import { VirtualNetworkLink } from "@pulumi/azure-native/privatedns/virtualNetworkLink";
import * as pulumi from "@pulumi/pulumi";
import type { AzurePlacement } from "./placement";

export interface AzurePrivateEndpointArgs extends AzurePlacement {
  /** Resource id of the service to reach privately (a vault, a storage account). @default - none, required */
  targetId: pulumi.Input<string>;
  /** Private link sub-resource: "vault", "blob". @default - none, required */
  groupId: string;
  /** The service's privatelink DNS zone, e.g. privatelink.vaultcore.azure.net. @default - none, required */
  zoneName: string;
  /** Subnet that holds the endpoint's network interface. @default - none, required */
  subnetId: pulumi.Input<string>;
  /** VNet whose resolver answers the service's name with the private address. @default - none, required */
  virtualNetworkId: pulumi.Input<string>;
}

/**
 * A private endpoint and the private DNS zone that makes the service's public
 * host name resolve to it inside the VNet, so the service can refuse all
 * public network access and pods still reach it by its usual name.
 */
export class AzurePrivateEndpoint extends pulumi.ComponentResource {
  readonly id: pulumi.Output<string>;

  constructor(name: string, args: AzurePrivateEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:PrivateEndpoint", name, {}, opts);
    const zone = new PrivateZone(
      `${name}-zone`,
      {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: args.zoneName,
        location: "global",
        tags: args.tags,
      },
      { parent: this },
    );
    new VirtualNetworkLink(
      `${name}-link`,
      {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: zone.name,
        location: "global",
        virtualNetwork: { id: args.virtualNetworkId },
        registrationEnabled: false,
        tags: args.tags,
      },
      { parent: this },
    );
    const endpoint = new PrivateEndpoint(
      `${name}-endpoint`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        subnet: { id: args.subnetId },
        privateLinkServiceConnections: [
          { name: `${name}-${args.groupId}`, privateLinkServiceId: args.targetId, groupIds: [args.groupId] },
        ],
        tags: args.tags,
      },
      { parent: this },
    );
    new PrivateDnsZoneGroup(
      `${name}-dns`,
      {
        resourceGroupName: args.resourceGroupName,
        privateEndpointName: endpoint.name,
        privateDnsZoneConfigs: [{ name: args.groupId, privateDnsZoneId: zone.id }],
      },
      { parent: this },
    );
    this.id = endpoint.id;
    this.registerOutputs({ id: this.id });
  }
}
