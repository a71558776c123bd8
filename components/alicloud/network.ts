import { EipAddress, EipAssociation, SecurityGroup, SecurityGroupRule } from "@pulumi/alicloud/ecs";
import { getZonesOutput } from "@pulumi/alicloud/getZones";
import { Store } from "@pulumi/alicloud/log";
import { FlowLog, NatGateway, Network, SnatEntry, Switch } from "@pulumi/alicloud/vpc";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import { planZoneSubnets, type SubnetTier } from "../../lib/cidr";
import { boundedName } from "../../lib/naming";
import type { NetworkOutputs } from "../contract";
import { nameRules } from "./naming";
import type { PublishedRule } from "./published-ports";

export interface AlicloudNetworkArgs {
  /** Prefix of every cloud-side name (config name and stack). @default - none, required */
  baseName: string;
  /**
   * VPC range; cut into tiers and zones by `planZoneSubnets`, with the VPN gateway block left free.
   * @default - none, required
   */
  cidr: string;
  /** Zone ids, one set of vSwitches each. @default - none, required */
  zones: string[];
  /** Tags for every resource. @default - none, required */
  tags: Record<string, string>;
  /** NAT gateway EIP bandwidth ceiling in Mbit/s (billed by traffic, so only a cap). @default 200 */
  natBandwidthMbps?: number;
  /** SLS project the VPC flow log is written to (the stack's logging project). @default - none, required */
  flowLogProject: pulumi.Input<string>;
  /** Days the flow log is kept, 1 to 3650 (SLS keeps 3650 forever). @default 365 */
  flowLogRetentionDays?: number;
  /** Client ports the node security group admits from the internet (published-ports.ts). @default [] */
  publishedRules?: PublishedRule[];
}

/** The logstore, in the stack's SLS project, that holds the VPC flow log. */
export const flowLogStoreName = "vpc-flow-log";

/**
 * The VPC: per zone a private vSwitch (nodes and pods), a database vSwitch
 * and a public vSwitch (load balancers and the NAT gateway only); an
 * enhanced NAT gateway with an EIP gives the private vSwitches egress;
 * security groups for the nodes and the database; and a flow log of all the
 * VPC's traffic in an encrypted SLS logstore.
 */
export class AlicloudNetwork extends pulumi.ComponentResource {
  readonly outputs: NetworkOutputs;
  /** Security group of the cluster nodes. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  /** Security group that admits PostgreSQL from the private vSwitches only. */
  readonly databaseSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: AlicloudNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const retention = args.flowLogRetentionDays ?? 365;
    const check = new ArgumentChecks(`invalid AlicloudNetwork '${name}'`);
    check.require(
      Number.isInteger(retention) && retention >= 1 && retention <= 3650,
      "flowLogRetentionDays",
      retention,
      "must be an integer from 1 to 3650",
    );
    check.throwIfAny(Error);
    super("warbler:alicloud:Network", name, {}, opts);
    const plan = planZoneSubnets(args.cidr, args.zones.length);
    const cloudName = (role: string) => boundedName([args.baseName, role], nameRules.network.maxLength);

    // The zone table decides names at plan time; this asks the region at deploy time, so a zone that
    // stopped offering vSwitches fails here with a clear message instead of halfway through the cluster.
    const offered = getZonesOutput({ availableResourceCreation: "VSwitch" }, { parent: this });
    const checkedZone = (zone: string) =>
      offered.ids.apply((ids) => {
        if (!ids.includes(zone))
          throw new Error(
            `zone ${zone} does not offer vSwitches in this region any more (offered: ${ids.join(", ")}); ` +
              "update components/alicloud/zones.ts",
          );
        return zone;
      });

    const vpc = new Network(
      `${name}-vpc`,
      { vpcName: cloudName("vpc"), cidrBlock: args.cidr, description: "Warbler IM platform", tags: args.tags },
      { parent: this },
    );

    const flowLogStore = new Store(
      `${name}-flow-log-store`,
      {
        projectName: args.flowLogProject,
        logstoreName: flowLogStoreName,
        retentionPeriod: retention,
        shardCount: 2,
        autoSplit: true,
        maxSplitShardCount: 16,
        appendMeta: true,
        // AES at rest under an SLS-managed key; the stack key (BYOK) would need a RAM role that SLS assumes.
        encryptConf: { enable: true, encryptType: "default" },
      },
      { parent: this },
    );
    new FlowLog(
      `${name}-flow-log`,
      {
        flowLogName: cloudName("flow-log"),
        description: "Warbler VPC: all accepted and rejected traffic",
        resourceType: "VPC",
        resourceId: vpc.id,
        trafficType: "All",
        projectName: flowLogStore.projectName,
        logStoreName: flowLogStore.logstoreName,
        status: "Active",
        tags: args.tags,
      },
      { parent: this },
    );

    const vswitches = (tier: SubnetTier) =>
      plan.map(
        (p) =>
          new Switch(
            `${name}-${tier}-${args.zones[p.zoneIndex]}`,
            {
              vswitchName: cloudName(`${tier}-${args.zones[p.zoneIndex]}`),
              vpcId: vpc.id,
              cidrBlock: p[tier],
              zoneId: checkedZone(args.zones[p.zoneIndex]),
              description: `Warbler ${tier} tier`,
              tags: { ...args.tags, "warbler-tier": tier },
            },
            { parent: this },
          ),
      );
    const privateSwitches = vswitches("private");
    const databaseSwitches = vswitches("database");
    const publicSwitches = vswitches("public");

    const nat = new NatGateway(
      `${name}-nat`,
      {
        natGatewayName: cloudName("nat"),
        vpcId: vpc.id,
        vswitchId: publicSwitches[0].id,
        natType: "Enhanced",
        networkType: "internet",
        paymentType: "PayAsYouGo",
        internetChargeType: "PayByLcu",
        eipBindMode: "NAT",
        tags: args.tags,
      },
      { parent: this },
    );
    const eip = new EipAddress(
      `${name}-nat-eip`,
      {
        addressName: cloudName("nat-eip"),
        paymentType: "PayAsYouGo",
        internetChargeType: "PayByTraffic",
        bandwidth: String(args.natBandwidthMbps ?? 200),
        tags: args.tags,
      },
      { parent: this },
    );
    const association = new EipAssociation(
      `${name}-nat-eip-binding`,
      { allocationId: eip.id, instanceId: nat.id, instanceType: "Nat" },
      { parent: this },
    );
    // Only the node tier egresses; the database tier has no route to the internet.
    for (const [i, vsw] of privateSwitches.entries()) {
      new SnatEntry(
        `${name}-snat-${args.zones[i]}`,
        {
          snatTableId: nat.snatTableIds,
          sourceVswitchId: vsw.id,
          snatIp: eip.ipAddress,
          snatEntryName: cloudName(`snat-${args.zones[i]}`),
        },
        { parent: this, dependsOn: [association] },
      );
    }

    const nodes = new SecurityGroup(
      `${name}-nodes`,
      {
        securityGroupName: cloudName("nodes"),
        vpcId: vpc.id,
        securityGroupType: "normal",
        innerAccessPolicy: "Accept",
        description: "Warbler cluster nodes",
        tags: args.tags,
      },
      { parent: this },
    );
    // Terway gives pods addresses from the private vSwitches, so node and pod traffic stays inside the VPC range.
    new SecurityGroupRule(
      `${name}-nodes-from-vpc`,
      {
        securityGroupId: nodes.id,
        type: "ingress",
        ipProtocol: "all",
        portRange: "-1/-1",
        cidrIp: args.cidr,
        policy: "accept",
        priority: 1,
        description: "nodes, pods and load balancers inside the VPC",
      },
      { parent: this },
    );
    for (const rule of args.publishedRules ?? []) {
      const { name: suffix, ...fields } = rule;
      new SecurityGroupRule(
        `${name}-nodes-${suffix}`,
        { securityGroupId: nodes.id, type: "ingress", policy: "accept", priority: 1, ...fields },
        { parent: this },
      );
    }
    const database = new SecurityGroup(
      `${name}-database`,
      {
        securityGroupName: cloudName("database"),
        vpcId: vpc.id,
        securityGroupType: "normal",
        innerAccessPolicy: "Drop",
        description: "Warbler PostgreSQL",
        tags: args.tags,
      },
      { parent: this },
    );
    for (const p of plan) {
      new SecurityGroupRule(
        `${name}-database-from-${args.zones[p.zoneIndex]}`,
        {
          securityGroupId: database.id,
          type: "ingress",
          ipProtocol: "tcp",
          portRange: "5432/5432",
          cidrIp: p.private,
          policy: "accept",
          priority: 1,
          description: "PostgreSQL from the node tier",
        },
        { parent: this },
      );
    }

    this.nodeSecurityGroupId = nodes.id;
    this.databaseSecurityGroupId = database.id;
    this.outputs = {
      id: vpc.id,
      cidr: args.cidr,
      zones: args.zones,
      privateSubnetIds: privateSwitches.map((s) => s.id),
      databaseSubnetIds: databaseSwitches.map((s) => s.id),
      publicSubnetIds: publicSwitches.map((s) => s.id),
    };
    this.registerOutputs({
      id: vpc.id,
      natGatewayId: nat.id,
      natIp: eip.ipAddress,
      nodeSecurityGroupId: nodes.id,
      databaseSecurityGroupId: database.id,
    });
  }
}
