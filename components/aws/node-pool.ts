import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import type { Size } from "../../config/clouds";
import { ArgumentChecks } from "../../lib/check";
import { imNodeSysctls, imSysctlFile } from "../../lib/node-tuning";
import { nodeSizes } from "./sizes";

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
    const check = new ArgumentChecks(`invalid AwsNodePool '${name}'`);
    check.require(Number.isInteger(args.min) && args.min >= 1, "min", args.min, "must be a positive integer");
    check.require(
      Number.isInteger(args.max) && args.max >= args.min,
      "max",
      args.max,
      `must be an integer not below 'min' (${args.min})`,
    );
    check.require(args.size in nodeSizes, "size", args.size, `must be one of ${Object.keys(nodeSizes).join(", ")}`);
    check.require(Number.isInteger(diskGb) && diskGb >= 20, "diskGb", diskGb, "must be an integer of at least 20");
    check.throwIfAny(Error);

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
            ebs: {
              volumeSize: diskGb,
              volumeType: "gp3",
              encrypted: "true",
              kmsKeyId: args.keyArn,
              deleteOnTermination: "true",
            },
          },
        ],
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
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
        instanceTypes: [nodeSizes[args.size].type],
        scalingConfig: { minSize: args.min, maxSize: args.max, desiredSize: args.min },
        updateConfig: { maxUnavailable: 1 },
        // Off by default: EKS replaces a node its monitoring agent reports unhealthy (NotReady, disk or network
        // failures) instead of leaving it for an operator (https://docs.aws.amazon.com/eks/latest/userguide/
        // node-health.html).
        nodeRepairConfig: { enabled: true },
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

/**
 * EC2 user data for EKS managed nodes (Amazon Linux 2023). EKS merges a
 * launch template's user data with its own nodeadm configuration, and only
 * accepts it as a MIME multi-part document; a shell part runs before the
 * node joins, so the kernel settings hold before any pod lands.
 */
const BOUNDARY = "==WARBLER==";

/** Renders `key = value` lines; rejects anything that could break out of the file. */
export function renderSysctlConf(sysctls: Readonly<Record<string, string>>): string {
  const check = new ArgumentChecks("invalid sysctls");
  for (const [key, value] of Object.entries(sysctls)) {
    check.require(
      /^[a-z0-9_.-]+$/.test(key) && /^[0-9 ]+$/.test(value),
      key,
      value,
      "must be a dotted kernel key with a numeric value",
    );
  }
  check.throwIfAny(Error);
  return Object.entries(sysctls)
    .map(([key, value]) => `${key} = ${value}`)
    .join("\n");
}

/** The MIME document (plain text; the launch template wants it base64-encoded). */
export function renderNodeUserData(sysctls: Readonly<Record<string, string>>): string {
  const script = [
    "#!/bin/bash",
    "set -euo pipefail",
    // conntrack keys exist only once the module is loaded.
    "modprobe nf_conntrack",
    `cat > ${imSysctlFile} <<'SYSCTL'`,
    renderSysctlConf(sysctls),
    "SYSCTL",
    "sysctl --system",
  ].join("\n");
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    "",
    `--${BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    script,
    "",
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}
