import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import { cidrProblem, planZoneSubnets, type SubnetTier } from "../../lib/cidr";
import type { NetworkOutputs } from "../contract";
import { flowLogPolicy, serviceTrust } from "./permissions";

export interface AwsNetworkArgs {
  /** VPC range, from `network.cidr`. @default - none, required */
  cidr: string;
  /** Availability zones to span, in order (2 or 3). @default - none, required */
  zones: string[];
  /** EKS cluster name, for the subnet tags its load balancers discover subnets by. @default - none, required */
  clusterName: string;
  /** Key ARN that encrypts the flow log group. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Days the flow logs are kept. @default 365 */
  flowLogRetentionDays?: number;
  /** Tags on every resource. @default {} */
  tags?: Record<string, string>;
}

/**
 * A VPC over 2-3 zones with the shared subnet layout (lib/cidr.ts):
 * per zone a private subnet for nodes and pods, a database subnet with no
 * route out, and a public subnet that holds only load balancers and NAT.
 * One NAT gateway per zone, so losing a zone does not cut the others' egress.
 * All traffic is recorded by VPC flow logs in an encrypted log group.
 */
export class AwsNetwork extends pulumi.ComponentResource {
  readonly outputs: NetworkOutputs;
  /** CIDRs of the private subnets, where nodes and pods get their addresses. */
  readonly privateCidrs: string[];

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Network", name, {}, opts);
    const retention = args.flowLogRetentionDays ?? 365;
    const check = new ArgumentChecks(`invalid AwsNetwork '${name}'`);
    check.require(args.zones.length >= 2 && args.zones.length <= 3, "zones", args.zones, "must list 2 or 3 zones");
    check.require(
      Number.isInteger(retention) && retention >= 1,
      "flowLogRetentionDays",
      retention,
      "must be a positive integer",
    );
    let layout: ReturnType<typeof planZoneSubnets> = [];
    try {
      layout = planZoneSubnets(args.cidr, Math.min(Math.max(args.zones.length, 1), 3));
    } catch (err) {
      check.add("cidr", args.cidr, cidrProblem(args.cidr) ?? `cannot hold the zone subnets: ${(err as Error).message}`);
    }
    check.throwIfAny(Error);

    const tags = args.tags ?? {};
    const named = (suffix: string, extra: Record<string, string> = {}) => ({
      ...tags,
      ...extra,
      Name: `${name}-${suffix}`,
    });
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };

    const vpc = new ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: named("vpc") },
      { parent: this },
    );
    // Created even with no public API endpoint: the IM service is reached through public load balancers.
    const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: named("igw") }, { parent: this });

    const subnet = (tier: SubnetTier, zoneIndex: number, cidr: string, extra: Record<string, string>) =>
      new ec2.Subnet(
        `${name}-${tier}-${zoneIndex}`,
        {
          vpcId: vpc.id,
          availabilityZone: args.zones[zoneIndex],
          cidrBlock: cidr,
          mapPublicIpOnLaunch: false,
          tags: named(`${tier}-${args.zones[zoneIndex]}`, { ...extra, "warbler-tier": tier }),
        },
        { parent: this },
      );
    const publicSubnets = layout.map((z) =>
      subnet("public", z.zoneIndex, z.public, { ...clusterTag, "kubernetes.io/role/elb": "1" }),
    );
    const privateSubnets = layout.map((z) =>
      subnet("private", z.zoneIndex, z.private, { ...clusterTag, "kubernetes.io/role/internal-elb": "1" }),
    );
    const databaseSubnets = layout.map((z) => subnet("database", z.zoneIndex, z.database, {}));
    this.privateCidrs = layout.map((z) => z.private);

    const publicRoutes = new ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, tags: named("public") },
      { parent: this },
    );
    new ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      { parent: this },
    );
    publicSubnets.forEach((s, i) => {
      new ec2.RouteTableAssociation(
        `${name}-public-rta-${i}`,
        { routeTableId: publicRoutes.id, subnetId: s.id },
        { parent: this },
      );
    });

    layout.forEach(({ zoneIndex }) => {
      const zone = args.zones[zoneIndex];
      const eip = new ec2.Eip(
        `${name}-nat-eip-${zoneIndex}`,
        { domain: "vpc", tags: named(`nat-${zone}`) },
        { parent: this, dependsOn: [igw] },
      );
      const nat = new ec2.NatGateway(
        `${name}-nat-${zoneIndex}`,
        {
          allocationId: eip.id,
          subnetId: publicSubnets[zoneIndex].id,
          connectivityType: "public",
          tags: named(`nat-${zone}`),
        },
        { parent: this },
      );
      const routes = new ec2.RouteTable(
        `${name}-private-rt-${zoneIndex}`,
        { vpcId: vpc.id, tags: named(`private-${zone}`) },
        { parent: this },
      );
      new ec2.Route(
        `${name}-private-default-${zoneIndex}`,
        { routeTableId: routes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
        { parent: this },
      );
      new ec2.RouteTableAssociation(
        `${name}-private-rta-${zoneIndex}`,
        { routeTableId: routes.id, subnetId: privateSubnets[zoneIndex].id },
        { parent: this },
      );
    });

    // The database tier gets a table of its own with only the local route: no path to or from the internet.
    const databaseRoutes = new ec2.RouteTable(
      `${name}-database-rt`,
      { vpcId: vpc.id, tags: named("database") },
      { parent: this },
    );
    databaseSubnets.forEach((s, i) => {
      new ec2.RouteTableAssociation(
        `${name}-database-rta-${i}`,
        { routeTableId: databaseRoutes.id, subnetId: s.id },
        { parent: this },
      );
    });

    const flowLogGroup = new cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { name: `/warbler/${args.clusterName}/vpc-flow-logs`, retentionInDays: retention, kmsKeyId: args.keyArn, tags },
      { parent: this },
    );
    const flowLogRole = new iam.Role(
      `${name}-flow-logs-role`,
      { assumeRolePolicy: JSON.stringify(serviceTrust("vpc-flow-logs.amazonaws.com")), tags },
      { parent: this },
    );
    new iam.RolePolicy(
      `${name}-flow-logs-policy`,
      { role: flowLogRole.id, policy: flowLogGroup.arn.apply((arn) => JSON.stringify(flowLogPolicy(arn))) },
      { parent: this },
    );
    new ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: flowLogGroup.arn,
        iamRoleArn: flowLogRole.arn,
        maxAggregationInterval: 60,
        tags: named("flow-log"),
      },
      { parent: this },
    );

    this.outputs = {
      id: vpc.id,
      cidr: args.cidr,
      zones: args.zones,
      privateSubnetIds: privateSubnets.map((s) => s.id),
      databaseSubnetIds: databaseSubnets.map((s) => s.id),
      publicSubnetIds: publicSubnets.map((s) => s.id),
    };
    this.registerOutputs({
      vpcId: vpc.id,
      privateSubnetIds: this.outputs.privateSubnetIds,
      databaseSubnetIds: this.outputs.databaseSubnetIds,
      publicSubnetIds: this.outputs.publicSubnetIds,
    });
  }
}
