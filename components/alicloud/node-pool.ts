import type { NodePoolArgs } from "@pulumi/alicloud/cs/nodePool";
import type * as pulumi from "@pulumi/pulumi";
import { ArgumentChecks } from "../../lib/check";
import { imMaxOpenFiles, imNodePool } from "../../lib/im-sizing";
import { boundedName } from "../../lib/naming";
import { imNodeSysctls, imSysctlFile } from "../../lib/node-tuning";
import type { NodePoolConfig } from "../contract";
import { nameRules } from "./naming";
import { nodeSizes } from "./sizes";

/** Where the cluster puts its node pools. */
export interface AlicloudNodePoolArgs {
  /** The ACK cluster the pool joins. @default - none, required */
  clusterId: pulumi.Input<string>;
  /** Private vSwitches, one per zone; the pool spreads nodes over them. @default - none, required */
  vswitchIds: pulumi.Input<string>[];
  /** Security group of the nodes. @default - none, required */
  securityGroupId: pulumi.Input<string>;
  /** KMS key id that encrypts every node disk. @default - none, required */
  keyId: pulumi.Input<string>;
  /** Tags for the nodes. @default - none, required */
  tags: Record<string, string>;
  /** System disk of each node in GiB. @default 120 */
  systemDiskGb?: number;
  /** Data disk (container images and ephemeral storage) of each node in GiB. @default 200 */
  dataDiskGb?: number;
  /**
   * MLPS 2.0 level 3 hardening (`socEnabled`) instead of Alibaba Cloud Linux hardening: ACK forbids both at once
   * (@pulumi/alicloud cs/nodePool.d.ts, `socEnabled`; https://help.aliyun.com/document_detail/196148.html).
   * @default false
   */
  mlpsHardening?: boolean;
}

/** Name of the fixed-size pool for cluster add-ons. */
export const systemPoolName = "system";

/**
 * Cluster autoscaler settings (cs.AutoscalingConfig): least-waste picks the pool, kube-system pods keep their nodes,
 * and a node is removed only after 10 minutes below half use. ACK's autoscaler acts only on pools with
 * `scalingConfig.enable`, so the system pool stays as it is.
 */
export const autoscalerSettings = {
  scalerType: "cluster-autoscaler",
  expander: "least-waste",
  scaleDownEnabled: true,
  skipNodesWithSystemPods: true,
  skipNodesWithLocalStorage: false,
  utilizationThreshold: "0.5",
  unneededDuration: "10m",
  coolDownDuration: "10m",
  scanInterval: "30s",
} as const;

/**
 * The system pool: a fixed number of medium nodes, one per zone, never autoscaled, where CoreDNS and the other
 * add-ons run whatever the IM pools do. Same disks, image and hardening as the IM pools.
 */
export function systemPoolArgs(zones: number, args: AlicloudNodePoolArgs): NodePoolArgs {
  const { scalingConfig: _, ...rest } = nodePoolArgs(
    { name: systemPoolName, size: "medium", min: zones, max: zones },
    args,
  );
  return { ...rest, desiredSize: String(zones) };
}

/**
 * The ACK node pool for `pool`: autoscaling between min and max, spread
 * evenly over the zones, on hardened Alibaba Cloud Linux, with system and data
 * disks encrypted with the stack's key, session-token metadata only, and the
 * IM kernel settings from the boot script below. The pools stay children of
 * the cluster, not components of their own: that would change every deployed
 * pool's URN.
 */
export function nodePoolArgs(pool: NodePoolConfig, args: AlicloudNodePoolArgs): NodePoolArgs {
  return poolArgs(pool.name, nodeSizes[pool.size].type, pool, args);
}

/**
 * The ejabberd pool (lib/im-sizing.ts `imNodePool`): one node per ejabberd instance on the r7 type sized for its
 * sessions (sizes.ts `imNodeType`), labelled and tainted so that only ejabberd lands there, and with the container
 * runtime's open-file limit raised to `imMaxOpenFiles`. It autoscales from `replicas` to one more: ACK's autoscaling
 * needs `maxSize` greater than `minSize` (cs/nodePool.d.ts, scalingConfig), and the spare slot takes the pod of a
 * node being repaired or replaced.
 */
export function ejabberdPoolArgs(replicas: number, instanceType: string, args: AlicloudNodePoolArgs): NodePoolArgs {
  const check = new ArgumentChecks();
  check.require(Number.isInteger(replicas) && replicas >= 1, "replicas", replicas, "must be a positive integer");
  check.require(/^ecs\.r7\./.test(instanceType), "instanceType", instanceType, "must be an ecs.r7 type (sizes.ts)");
  check.throwIfAny(RangeError);
  return {
    ...poolArgs(imNodePool.name, instanceType, { min: replicas, max: replicas + 1 }, args),
    labels: [{ ...imNodePool.label }],
    taints: [{ ...imNodePool.taint }],
    containerdConfig: containerdLimits(),
  };
}

/**
 * The containerd settings of the ejabberd pool: `limitNoFile`, "the maximum number of file handles" containerd
 * gives containers, a decimal string from "1024" (cs/nodePool.d.ts, NodePoolContainerdConfig; ACK "Customize the
 * containerd configuration of a node pool", containerd 1.6.20 or later:
 * https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/
 * customize-the-containerd-configurations-of-a-node-pool). Set to `imMaxOpenFiles`, which `fs.nr_open` in the boot
 * script allows: a process cannot be given more open files than fs.nr_open.
 */
export function containerdLimits(): { limitNoFile: string } {
  return { limitNoFile: String(imMaxOpenFiles) };
}

function poolArgs(
  name: string,
  instanceType: string,
  bounds: { min: number; max: number },
  args: AlicloudNodePoolArgs,
): NodePoolArgs {
  return {
    clusterId: args.clusterId,
    nodePoolName: boundedName([name], nameRules.cluster.maxLength),
    vswitchIds: args.vswitchIds,
    // Spread nodes evenly over the zones when scaling out.
    multiAzPolicy: "BALANCE",
    scalingConfig: { enable: true, minSize: bounds.min, maxSize: bounds.max, type: "cpu" },
    instanceTypes: [instanceType],
    instanceChargeType: "PostPaid",
    imageType: "AliyunLinux3",
    securityHardeningOs: !(args.mlpsHardening ?? false),
    socEnabled: args.mlpsHardening ?? false,
    runtimeName: "containerd",
    securityGroupIds: [args.securityGroupId],
    systemDiskCategory: "cloud_essd",
    systemDiskSize: args.systemDiskGb ?? 120,
    systemDiskEncrypted: true,
    systemDiskEncryptAlgorithm: "aes-256",
    systemDiskKmsKey: args.keyId,
    dataDisks: [
      {
        category: "cloud_essd",
        size: args.dataDiskGb ?? 200,
        performanceLevel: "PL1",
        encrypted: "true",
        kmsKeyId: args.keyId,
      },
    ],
    // Metadata only with a session token (IMDSv2-style), so a forged request from a pod cannot read node credentials.
    instanceMetadataOptions: { httpTokens: "required" },
    // Before ACK's own initialization ("Node pre custom data ... executed before the node is initialized",
    // cs/nodePool.d.ts): containerd and the kubelet then start with fs.nr_open already raised, so the containerd
    // open-file limit of the ejabberd pool holds, and no pod lands before the settings.
    preUserData: encodeUserData(sysctlUserData()),
    installCloudMonitor: true,
    management: { enable: true, autoRepair: true, autoUpgrade: false, autoVulFix: true, maxUnavailable: 1 },
    labels: [{ key: imNodePool.label.key, value: name }],
    tags: args.tags,
  };
}

/**
 * The node boot script (ACK runs it before its own initialization): writes the IM
 * kernel settings to a sysctl.d file, so they also survive reboots, and
 * loads them. ACK's node-pool kubelet configuration has no node-level
 * sysctls, hence user data.
 */
export function sysctlUserData(sysctls: Readonly<Record<string, string>> = imNodeSysctls): string {
  const lines = Object.entries(sysctls).map(([key, value]) => `${key} = ${value}`);
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "modprobe nf_conntrack",
    `cat > ${imSysctlFile} <<'SYSCTL'`,
    ...lines,
    "SYSCTL",
    `sysctl -p ${imSysctlFile}`,
    "",
  ].join("\n");
}

/** ACK takes node user data base64-encoded. */
export function encodeUserData(script: string): string {
  return Buffer.from(script, "utf8").toString("base64");
}
