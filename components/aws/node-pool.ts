import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import type { Size } from "../../config/clouds";
import { imNodeSysctls } from "../../lib/node-tuning";
import { nodeSizes } from "./sizes";
import { renderNodeUserData } from "./user-data";

export interface AwsNodePoolArgs {
  /** EKS cluster the pool joins. @default - none, required */
  clusterName: pulumi.Input<string>;
  /** Kubernetes minor of the nodes; matches the control plane. @default - none, required */
  version: string;
  /** Pool name from config; labels the nodes `warbler.io/pool`. @default - none, required */
  poolName: string;
  /** Abstract node size (sizes.ts). @default - none, required */
  size: Size;
  /** Fewest nodes; the autoscaler never goes below. @default - none, required */
  min: number;
  /** Most nodes the autoscaler may add. @default - none, required */
  max: number;
  /** Role the nodes run as. @default - none, required */
  nodeRoleArn: pulumi.Input<string>;
  /** Private subnets, one per zone; the group spreads nodes over them. @default - none, required */
  subnetIds: pulumi.Input<string>[];
  /** Key ARN that encrypts the root volumes. @default - none, required */
  keyArn: pulumi.Input<string>;
  /** Root volume size in GiB. @default 100 */
  diskGb?: number;
  /** Tags on the node group, launch template, instances and volumes. @default {} */
  tags?: Record<string, string>;
}

/**
 * One EKS managed node group over every zone, on a launch template that
 * encrypts the root volume with the stack's key, requires IMDSv2 with one
 * hop (pods cannot borrow the node's role; they use IRSA), and applies the
 * IM kernel settings before the node joins.
 */
export class AwsNodePool extends pulumi.ComponentResource {
  readonly nodeGroup: eks.NodeGroup;

  constructor(name: string, args: AwsNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:NodePool", name, {}, opts);
    const diskGb = args.diskGb ?? 100;
    const problems: string[] = [];
    if (!Number.isInteger(args.min) || args.min < 1) problems.push(`'min' (${args.min}) must be a positive integer`);
    if (!Number.isInteger(args.max) || args.max < args.min) problems.push(`'max' (${args.max}) must be an integer not below 'min' (${args.min})`);
    if (!(args.size in nodeSizes)) problems.push(`'size' (${args.size}) must be one of ${Object.keys(nodeSizes).join(", ")}`);
    if (!Number.isInteger(diskGb) || diskGb < 20) problems.push(`'diskGb' (${diskGb}) must be an integer of at least 20`);
    if (problems.length > 0) throw new Error(`invalid AwsNodePool '${name}':\n  - ${problems.join("\n  - ")}`);

    const tags = args.tags ?? {};
    const launchTemplate = new ec2.LaunchTemplate(
      `${name}-lt`,
      {
        description: `Warbler node pool ${args.poolName}`,
        updateDefaultVersion: true,
        blockDeviceMappings: [
          {
            // The root device of the EKS AL2023 AMIs.
            deviceName: "/dev/xvda",
            ebs: { volumeSize: diskGb, volumeType: "gp3", encrypted: "true", kmsKeyId: args.keyArn, deleteOnTermination: "true" },
          },
        ],
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        userData: Buffer.from(renderNodeUserData(imNodeSysctls)).toString("base64"),
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
        tags,
      },
      { parent: this },
    );
    this.nodeGroup = new eks.NodeGroup(
      `${name}-ng`,
      {
        clusterName: args.clusterName,
        version: args.version,
        nodeRoleArn: args.nodeRoleArn,
        subnetIds: args.subnetIds,
        amiType: "AL2023_x86_64_STANDARD",
        capacityType: "ON_DEMAND",
        instanceTypes: [nodeSizes[args.size].instanceType],
        scalingConfig: { minSize: args.min, maxSize: args.max, desiredSize: args.min },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        labels: { "warbler.io/pool": args.poolName, "warbler.io/size": args.size },
        tags: pulumi.output(args.clusterName).apply((cluster) => ({
          ...tags,
          "k8s.io/cluster-autoscaler/enabled": "true",
          [`k8s.io/cluster-autoscaler/${cluster}`]: "owned",
        })),
      },
      // The cluster autoscaler owns the current size between min and max.
      { parent: this, ignoreChanges: ["scalingConfig.desiredSize"] },
    );
    this.registerOutputs({ nodeGroupArn: this.nodeGroup.arn });
  }
}
