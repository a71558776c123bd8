import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { Size } from "../../config/clouds";
import { imReplicas, imSizingFor } from "../../config/im";
import { ArgumentChecks } from "../../lib/check";
import { imMaxOpenFiles, imNodePool, type ShapeKey, shapeKey } from "../../lib/im-sizing";
import { imNodeSysctls, imSysctlFile } from "../../lib/node-tuning";
import type { Machine } from "../contract";
import { imNodeSizes, nodeSizes } from "./sizes";

/** A Kubernetes taint as the chart's tolerations name it (`imNodePool.taint`). */
export interface NodeTaint {
  key: string;
  value: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/**
 * The EKS API spells taint effects in its own enum (@pulumi/aws types/input.d.ts `NodeGroupTaint.effect`: NO_SCHEDULE,
 * NO_EXECUTE, PREFER_NO_SCHEDULE; https://docs.aws.amazon.com/eks/latest/APIReference/API_Taint.html).
 */
export const eksTaintEffects = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
} as const satisfies Record<NodeTaint["effect"], string>;

/** The machine behind a pool's size: an abstract size (config pools) or a memory-optimised shape (ejabberd). */
export function poolMachine(size: Size | ShapeKey): Machine | undefined {
  if (Object.hasOwn(nodeSizes, size)) return nodeSizes[size as Size];
  return Object.hasOwn(imNodeSizes, size) ? imNodeSizes[size as ShapeKey] : undefined;
}

export interface AwsNodePoolArgs {
  /** EKS cluster the pool joins. @default - none, required */
  clusterName: pulumi.Input<string>;
  /** Kubernetes minor of the nodes; matches the control plane. @default - none, required */
  version: string;
  /** Pool name from config; labels the nodes `warbler.io/pool`. @default - none, required */
  poolName: string;
  /**
   * Abstract node size (sizes.ts `nodeSizes`), or for the ejabberd pool a memory-optimised shape (`imNodeSizes`);
   * labels the nodes `warbler.io/size`. @default - none, required
   */
  size: Size | ShapeKey;
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
  /** Taints on every node, so only pods that tolerate them land there. @default [] */
  taints?: readonly NodeTaint[];
  /**
   * The hard RLIMIT_NOFILE containerd gives every container on these nodes, through nodeadm's
   * `baseRuntimeSpec`. @default - the AL2023 AMI's own, 65,536 soft and 1,048,576 hard
   */
  maxOpenFiles?: number;
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
    const machine = poolMachine(args.size);
    check.require(
      machine !== undefined,
      "size",
      args.size,
      `must be one of ${[...Object.keys(nodeSizes), ...Object.keys(imNodeSizes)].join(", ")}`,
    );
    const taints = args.taints ?? [];
    taints.forEach((taint, i) => {
      check.require(
        taint.effect in eksTaintEffects,
        `taints[${i}].effect`,
        taint.effect,
        "must be a Kubernetes effect",
      );
    });
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
        userData: Buffer.from(renderNodeUserData(imNodeSysctls, args.maxOpenFiles)).toString("base64"),
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
        instanceTypes: [machine!.type],
        scalingConfig: { minSize: args.min, maxSize: args.max, desiredSize: args.min },
        updateConfig: { maxUnavailable: 1 },
        // Off by default: EKS replaces a node its monitoring agent reports unhealthy (NotReady, disk or network
        // failures) instead of leaving it for an operator (https://docs.aws.amazon.com/eks/latest/userguide/
        // node-health.html).
        nodeRepairConfig: { enabled: true },
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        labels: { [imNodePool.label.key]: args.poolName, "warbler.io/size": args.size },
        // Left out when empty, so the config pools' inputs stay as they were.
        taints:
          taints.length === 0
            ? undefined
            : taints.map(({ key, value, effect }) => ({ key, value, effect: eksTaintEffects[effect] })),
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

/** The nodeadm API version and the MIME type nodeadm reads NodeConfig parts of a multi-part user data by. */
export const NODEADM_API_VERSION = "node.eks.aws/v1alpha1";
export const NODEADM_CONTENT_TYPE = "application/node.eks.aws";

/** The soft RLIMIT_NOFILE AL2023's containerd gives containers (nodeadm base-runtime-spec.json). */
export const AL2023_CONTAINER_SOFT_NOFILE = 65_536;

/**
 * A nodeadm NodeConfig that only sets containers' RLIMIT_NOFILE. containerd on AL2023 gives each container the
 * limits of its base runtime spec, 65,536 soft and 1,048,576 hard (awslabs/amazon-eks-ami#1794,
 * nodeadm/internal/containerd/base-runtime-spec.json); `spec.containerd.baseRuntimeSpec` is merged over that default
 * (https://awslabs.github.io/amazon-eks-ami/nodeadm/doc/api/, ContainerdOptions; nodeadm/doc/examples.md,
 * "Modifying container RLIMITs"). A merge replaces lists whole, and the default's `rlimits` holds RLIMIT_NOFILE
 * alone, so nothing else is lost. Only the hard limit rises: the soft limit stays the AMI's 65,536 for every other
 * container on the node (some programs walk every descriptor up to it), and ejabberd's cluster.sh raises its own soft
 * limit to the hard one (charts/im/cluster-script.ts).
 */
export function renderNofileNodeConfig(maxOpenFiles: number): string {
  const check = new ArgumentChecks("invalid NodeConfig");
  check.require(
    Number.isInteger(maxOpenFiles) && maxOpenFiles >= 1024 && maxOpenFiles <= imMaxOpenFiles,
    "maxOpenFiles",
    maxOpenFiles,
    `must be an integer from 1024 to ${imMaxOpenFiles} (the nodes' fs.nr_open)`,
  );
  check.throwIfAny(RangeError);
  const rlimit = { type: "RLIMIT_NOFILE", soft: AL2023_CONTAINER_SOFT_NOFILE, hard: maxOpenFiles };
  const nodeConfig = {
    apiVersion: NODEADM_API_VERSION,
    kind: "NodeConfig",
    spec: { containerd: { baseRuntimeSpec: { process: { rlimits: [rlimit] } } } },
  };
  return `---\n${stringify(nodeConfig)}`;
}

/**
 * The MIME document (plain text; the launch template wants it base64-encoded). With `maxOpenFiles`, a NodeConfig
 * part follows the script; EKS adds its own NodeConfig (the cluster's coordinates) to a managed node group's user
 * data, and nodeadm merges every NodeConfig part in order (nodeadm/doc/examples.md, "Merging multiple configuration
 * objects"; https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html, Amazon EC2 user data).
 */
export function renderNodeUserData(sysctls: Readonly<Record<string, string>>, maxOpenFiles?: number): string {
  const nodeConfigPart =
    maxOpenFiles === undefined
      ? []
      : [`--${BOUNDARY}`, `Content-Type: ${NODEADM_CONTENT_TYPE}`, "", renderNofileNodeConfig(maxOpenFiles), ""];
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
    ...nodeConfigPart,
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}

/** The dedicated ejabberd node group (`imNodePool`) as AwsNodePool arguments. */
export interface ImNodeGroupPlan {
  poolName: typeof imNodePool.name;
  size: ShapeKey;
  min: number;
  max: number;
  taints: NodeTaint[];
  maxOpenFiles: number;
}

/**
 * The ejabberd node group a parsed `warbler:im` needs: the memory-optimised shape one instance needs
 * (`imSizing(...).node`), one node per instance (`imReplicas`) and one spare, so a rolling replacement or a lost node
 * has a node to land on; tainted so nothing else takes the memory sized for ejabberd.
 */
export function imNodeGroupPlan(im: { sessionsPerInstance: number; replicas?: number; sessions?: number }) {
  const nodes = imReplicas(im);
  const plan: ImNodeGroupPlan = {
    poolName: imNodePool.name,
    size: shapeKey(imSizingFor(im).node),
    min: nodes,
    max: nodes + 1,
    taints: [{ ...imNodePool.taint }],
    maxOpenFiles: imMaxOpenFiles,
  };
  return plan;
}
