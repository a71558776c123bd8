import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";

/**
 * The AWS APIs nodes and pods call on every start: image pulls (ECR's API and registry, whose layers S3 serves),
 * IRSA token exchange (STS), the VPC CNI's ENI calls (EC2) and log shipping (CloudWatch Logs). Through endpoints
 * they stay inside the VPC instead of crossing the NAT gateways (https://docs.aws.amazon.com/eks/latest/userguide/
 * private-clusters.html lists these services).
 */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts", "ec2", "logs"] as const;

/** S3 is served by a gateway endpoint: routes, no interfaces and no hourly charge. */
export const GATEWAY_ENDPOINT_SERVICES = ["s3"] as const;

/** The endpoint service name AWS gives a service in a region. */
export function endpointServiceName(region: string, service: string): string {
  return `com.amazonaws.${region}.${service}`;
}

export interface AwsEndpointsArgs {
  /** VPC the endpoints serve. @default - none, required */
  vpcId: pulumi.Input<string>;
  /** VPC range: the only source the interface endpoints admit. @default - none, required */
  vpcCidr: string;
  /** Region of the VPC. @default - none, required */
  region: string;
  /** Private subnets, one per zone: one interface per zone and service. @default - none, required */
  subnetIds: pulumi.Input<string>[];
  /** Route tables of the private subnets, for the gateway endpoints. @default - none, required */
  routeTableIds: pulumi.Input<string>[];
  /** Tags on every resource. @default {} */
  tags?: Record<string, string>;
}

/**
 * VPC endpoints for the AWS APIs the cluster needs. Interface endpoints have
 * private DNS on, so the SDKs' default host names resolve to them without
 * any client setting, and a security group that admits HTTPS from the VPC only.
 */
export class AwsEndpoints extends pulumi.ComponentResource {
  constructor(name: string, args: AwsEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Endpoints", name, {}, opts);
    const tags = args.tags ?? {};
    const securityGroup = new ec2.SecurityGroup(
      `${name}-sg`,
      {
        description: "HTTPS to the AWS API endpoints from the VPC only",
        vpcId: args.vpcId,
        ingress: [
          {
            description: "AWS APIs from the VPC",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [args.vpcCidr],
          },
        ],
        // Endpoints answer; they never open connections.
        egress: [],
        revokeRulesOnDelete: true,
        tags: { ...tags, Name: `${name}-sg` },
      },
      { parent: this },
    );
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new ec2.VpcEndpoint(
        `${name}-${service.replace(".", "-")}`,
        {
          vpcId: args.vpcId,
          serviceName: endpointServiceName(args.region, service),
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: args.subnetIds,
          securityGroupIds: [securityGroup.id],
          tags: { ...tags, Name: `${name}-${service}` },
        },
        { parent: this },
      );
    }
    for (const service of GATEWAY_ENDPOINT_SERVICES) {
      new ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: args.vpcId,
          serviceName: endpointServiceName(args.region, service),
          vpcEndpointType: "Gateway",
          routeTableIds: args.routeTableIds,
          tags: { ...tags, Name: `${name}-${service}` },
        },
        { parent: this },
      );
    }
    this.registerOutputs({ securityGroupId: securityGroup.id });
  }
}
