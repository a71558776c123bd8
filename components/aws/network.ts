import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import { cidrProblem, planZoneSubnets, type SubnetTier } from "../../lib/cidr";
import type { NetworkOutputs } from "../contract";
import { AwsEndpoints } from "./endpoints";
import { flowLogPolicy, serviceTrust } from "./permissions";

export interface AwsNetworkArgs {
  /** VPC range, from `network.cidr`. @default - none, required */
  cidr: string;
  /** Availability zones to span, in order (2 or 3). @default - none, required */
  zones: string[];
  /** EKS cluster name, for the subnet tags its load balancers discover subnets by. @default - none, required */
  clusterName: string;
  /** Region of the VPC, for the endpoint service names. @default - none, required */
  region: string;
  /** Key ARN that encrypts the flow log group. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Days the flow logs are kept. @default 365 */
  flowLogRetentionDays?: number;
  /** Tags on every resource. @default {} */
  tags?: Record<string, string>;
}

/**
 * Rules of the VPC's default network ACL, which every subnet keeps: the security groups filter traffic, and the ACL
 * only refuses the remote administration ports from anywhere (CIS AWS Foundations 5.1), before allowing the rest.
 * ACLs are stateless, so a blanket allow in both directions is what lets replies through.
 */
export const DEFAULT_NACL_RULES = {
  ingress: [
    { ruleNo: 100, action: "deny", protocol: "tcp", cidrBlock: "0.0.0.0/0", fromPort: 22, toPort: 22 },
    { ruleNo: 110, action: "deny", protocol: "tcp", cidrBlock: "0.0.0.0/0", fromPort: 3389, toPort: 3389 },
    { ruleNo: 200, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 },
  ],
  egress: [{ ruleNo: 200, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 }],
} as const;

/**
 * A VPC over 2-3 zones with the shared subnet layout (lib/cidr.ts):
 * per zone a private subnet for nodes and pods, a database subnet with no
 * route out, and a public subnet that holds only load balancers and NAT.
 * One NAT gateway per zone, so losing a zone does not cut the others' egress.
 * All traffic is recorded by VPC flow logs in an encrypted log group. The
 * default security group is emptied and the default network ACL managed;
 * AWS APIs the nodes call (S3, ECR, STS, EC2, CloudWatch Logs) are reached
 * through VPC endpoints.
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

    // Nothing uses the default security group; with no rules, whatever lands in it by mistake can talk to nothing
    // (CIS AWS Foundations 5.4). The resource adopts the group and removes the rules AWS put there.
    new ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: named("default-do-not-use") },
      { parent: this },
    );
    new ec2.DefaultNetworkAcl(
      `${name}-default-nacl`,
      {
        defaultNetworkAclId: vpc.defaultNetworkAclId,
        // Listed, or the provider would plan to take them off the default ACL on every run.
        subnetIds: [...publicSubnets, ...privateSubnets, ...databaseSubnets].map((s) => s.id),
        ingress: DEFAULT_NACL_RULES.ingress.map((r) => ({ ...r })),
        egress: DEFAULT_NACL_RULES.egress.map((r) => ({ ...r })),
        tags: named("default"),
      },
      { parent: this },
    );

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

    const privateRouteTables = layout.map(({ zoneIndex }) => {
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
      return routes;
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

    new AwsEndpoints(
      `${name}-endpoints`,
      {
        vpcId: vpc.id,
        vpcCidr: args.cidr,
        region: args.region,
        subnetIds: privateSubnets.map((s) => s.id),
        routeTableIds: privateRouteTables.map((t) => t.id),
        tags,
      },
      { parent: this },
    );

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
      // Handed out rather than looked up by subnet: a lookup can run before the association exists.
      routeTableIds: [...privateRouteTables.map((t) => t.id), databaseRoutes.id],
    };
    this.registerOutputs({
      vpcId: vpc.id,
      privateSubnetIds: this.outputs.privateSubnetIds,
      databaseSubnetIds: this.outputs.databaseSubnetIds,
      publicSubnetIds: this.outputs.publicSubnetIds,
    });
  }
}
