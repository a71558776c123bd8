import { NatGateway } from "@pulumi/azure-native/network/natGateway";
import { NetworkSecurityGroup } from "@pulumi/azure-native/network/networkSecurityGroup";
import { PublicIPAddress } from "@pulumi/azure-native/network/publicIPAddress";
import { Subnet } from "@pulumi/azure-native/network/subnet";
import { VirtualNetwork } from "@pulumi/azure-native/network/virtualNetwork";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkOutputs } from "../contract";
import { planAzureNetwork } from "./layout";
import {
  apiServerSubnetRules,
  databaseSubnetRules,
  type ListenerPorts,
  type NsgRule,
  privateSubnetRules,
  publicSubnetRules,
} from "./nsg-rules";
import type { AzurePlacement } from "./placement";

export interface AzureNetworkArgs extends AzurePlacement {
  /** Address range of the VNet (config network.cidr). @default - none, required */
  cidr: string;
  /** Azure zones ("1".."3", zones.ts) to lay subnets and NAT gateways over, in order. @default - none, required */
  zones: string[];
  /** Ports the LoadBalancer Services listen on; node and public subnets admit only these. @default - none, required */
  listenerPorts: ListenerPorts;
  /** The failover peer's range, allowed to and from PostgreSQL. @default - no peer */
  peerCidr?: string;
  /** In-network deployers' ranges, allowed to the API server (config cluster.privateAccessCidrs). @default [] */
  privateAccessCidrs?: string[];
}

/**
 * A VNet with the shared per-zone layout (see layout.ts): node subnets behind
 * one zonal NAT gateway each, database subnets delegated to PostgreSQL
 * Flexible Server, public subnets for load balancers only, and the API server
 * subnet. No subnet has default outbound access; every subnet has an NSG.
 */
export class AzureNetwork extends pulumi.ComponentResource {
  readonly outputs: NetworkOutputs;
  /** The subnet delegated to API Server VNet Integration. */
  readonly apiServerSubnetId: pulumi.Output<string>;

  constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:Network", name, {}, opts);
    const plan = planAzureNetwork(args.cidr, args.zones.length);
    const zones = args.zones;
    const common = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };

    // Subnets are separate resources (not inline) so each is addressable; the VNet keeps them on update.
    const vnet = new VirtualNetwork(
      `${name}-vnet`,
      { ...common, addressSpace: { addressPrefixes: [args.cidr] } },
      { parent: this },
    );
    const nsg = (tier: string, rules: NsgRule[]) =>
      new NetworkSecurityGroup(`${name}-${tier}-nsg`, { ...common, securityRules: rules }, { parent: this });
    const privateNsg = nsg("private", privateSubnetRules(args.listenerPorts));
    const databaseNsg = nsg("database", databaseSubnetRules(plan.zones, args.peerCidr));
    const publicNsg = nsg("public", publicSubnetRules(args.listenerPorts));
    const apiServerNsg = nsg("apiserver", apiServerSubnetRules(plan.zones, args.privateAccessCidrs ?? []));

    const nats = zones.map((zone) => {
      const ip = new PublicIPAddress(
        `${name}-nat-ip-${zone}`,
        {
          ...common,
          sku: { name: "Standard", tier: "Regional" },
          publicIPAllocationMethod: "Static",
          publicIPAddressVersion: "IPv4",
          zones: [zone],
        },
        { parent: this },
      );
      return new NatGateway(
        `${name}-nat-${zone}`,
        {
          ...common,
          sku: { name: "Standard" },
          zones: [zone],
          idleTimeoutInMinutes: 10,
          publicIpAddresses: [{ id: ip.id }],
        },
        { parent: this },
      );
    });

    // ARM rejects concurrent writes to subnets of one VNet (AnotherOperationInProgress), so subnets are created one
    // after another. The API server's comes first, so the last is one whose id the kit exports: the failover link's
    // GatewaySubnet takes every exported id as an input and so waits for the whole chain (vpn.ts).
    let previous: Subnet | undefined;
    const addSubnet = (
      subnetName: string,
      props: Omit<ConstructorParameters<typeof Subnet>[1], "resourceGroupName" | "virtualNetworkName">,
    ) => {
      previous = new Subnet(
        `${name}-${subnetName}`,
        {
          resourceGroupName: args.resourceGroupName,
          virtualNetworkName: vnet.name,
          defaultOutboundAccess: false,
          ...props,
        },
        { parent: this, dependsOn: previous ? [previous] : [] },
      );
      return previous;
    };
    this.apiServerSubnetId = addSubnet("apiserver", {
      addressPrefix: plan.apiServer,
      networkSecurityGroup: { id: apiServerNsg.id },
      delegations: [{ name: "aks-apiserver", serviceName: "Microsoft.ContainerService/managedClusters" }],
    }).id;
    const privateSubnetIds = plan.zones.map(
      (z, i) =>
        addSubnet(`private-${zones[i]}`, {
          addressPrefix: z.private,
          networkSecurityGroup: { id: privateNsg.id },
          natGateway: { id: nats[i].id },
          privateEndpointNetworkPolicies: "Enabled",
        }).id,
    );
    const databaseSubnetIds = plan.zones.map(
      (z, i) =>
        addSubnet(`database-${zones[i]}`, {
          addressPrefix: z.database,
          networkSecurityGroup: { id: databaseNsg.id },
          delegations: [{ name: "postgres-flexible", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" }],
        }).id,
    );
    const publicSubnetIds = plan.zones.map(
      (z, i) =>
        addSubnet(`public-${zones[i]}`, { addressPrefix: z.public, networkSecurityGroup: { id: publicNsg.id } }).id,
    );

    this.outputs = { id: vnet.id, cidr: args.cidr, zones, privateSubnetIds, databaseSubnetIds, publicSubnetIds };
    this.registerOutputs({
      id: vnet.id,
      privateSubnetIds,
      databaseSubnetIds,
      publicSubnetIds,
      apiServerSubnetId: this.apiServerSubnetId,
    });
  }
}
